using System.CommandLine;
using Smpc.Cli.Commands;

// The smpc command. Each sub-command lives in Commands/ as a static Create() returning a Command.
var root = new RootCommand("Smpc.Analytics: secure multiparty computation for statistical agencies.");
root.Subcommands.Add(StudyCommand.Create());
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(CertsCommand.Create());
root.Subcommands.Add(PartyCommand.Create());
root.Subcommands.Add(SchemaCommand.Create());
root.Subcommands.Add(ContributeCommand.Create());
root.Subcommands.Add(RegistryCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(AnalyzeCommand.Create());
root.Subcommands.Add(RelayCommand.Create());
return await root.Parse(args).InvokeAsync();
