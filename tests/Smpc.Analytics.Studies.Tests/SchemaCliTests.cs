using System.Diagnostics;
using System.Text.Json;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>`smpc schema infer` and `smpc schema validate` run as a steward would, with the commands of the
/// "bring your own data" walk-through in environment.md.</summary>
public sealed class SchemaCliTests : TempFolders
{
    [Fact]
    public void Infer_prints_the_schema_on_stdout_and_its_notes_on_stderr()
    {
        var s = new Strangers(NewFolder());
        var (exit, stdout, stderr) = Smpc("schema", "infer", s.Harbour, "--identifiers", "taxpayer_no,given,family,born,licence_ref", "--name", "harbour");
        Assert.True(exit == 0, stderr);
        var schema = JsonSerializer.Deserialize<TableSchema>(stdout, TableSchema.Json)!.Validate();
        Assert.Equal("harbour", schema.Name);
        Assert.Equal(["county", "vessel_class", "catch_tonnes", "crew", "insured"], schema.Columns.Select(c => c.Name));
        Assert.Equal(IdentifierKind.Ssn, schema.Identifiers.Single(i => i.Name == "taxpayer_no").Kind);
        Assert.Contains("note: column 'catch_tonnes': numbers", stderr);
        Assert.Contains("note: column 'given': declared an identifier", stderr);

        File.WriteAllText(Path.Combine(s.Folder, "harbour.schema.json"), stdout);
        (exit, stdout, stderr) = Smpc("schema", "validate", s.Harbour);
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("harbour.csv matches harbour.schema.json", stderr);
    }

    [Fact]
    public void Validate_lists_every_problem_as_file_line_column_and_exits_1()
    {
        var s = new Strangers(NewFolder());
        var (_, schemaJson, _) = Smpc("schema", "infer", s.Allotments, "--identifiers", "tin,vorname,nachname,geburtsdatum");
        File.WriteAllText(Path.Combine(s.Folder, "allotments.schema.json"), schemaJson);
        var lines = File.ReadAllLines(s.Allotments);
        lines[3] = lines[3].Replace("\"Millbrook\"", "Mill Brook").Replace("\"North Terrace\"", "Mill Brook").Replace("\"Old Quarry\"", "Mill Brook");
        lines[7] = string.Join(',', lines[7].Split(',')[..6].Append("lots").Append(lines[7].Split(',')[7]));
        File.WriteAllLines(s.Allotments, lines);
        var (exit, stdout, stderr) = Smpc("schema", "validate", s.Allotments, "--schema", Path.Combine(s.Folder, "allotments.schema.json"));
        Assert.Equal(1, exit);
        var problems = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, problems.Length);
        Assert.StartsWith("allotments.csv:4:", problems[0]);
        Assert.Contains("column 'society': 'Mill Brook' is not in the declared domain", problems[0]);
        Assert.StartsWith("allotments.csv:8:", problems[1]);
        Assert.Contains("column 'plot_size_m2': 'lots' is not an integer", problems[1]);
        Assert.Contains("2 problem(s) in allotments.csv", stderr);
    }

    [Fact]
    public void Infer_takes_identifier_kinds_as_column_equals_kind_and_names_a_wrong_kind()
    {
        var s = new Strangers(NewFolder());
        var (exit, stdout, stderr) = Smpc("schema", "infer", s.Harbour, "--identifiers", "taxpayer_no,given=firstName,family=lastName,licence_ref");
        Assert.True(exit == 0, stderr);
        var schema = JsonSerializer.Deserialize<TableSchema>(stdout, TableSchema.Json)!.Validate();
        Assert.Equal(IdentifierKind.FirstName, schema.Identifiers.Single(i => i.Name == "given").Kind);
        Assert.Equal(IdentifierKind.LastName, schema.Identifiers.Single(i => i.Name == "family").Kind);
        Assert.Equal(IdentifierKind.DateOfBirth, schema.Identifiers.Single(i => i.Name == "born").Kind);   // recognised by its values
        Assert.DoesNotContain("note: column 'given': declared an identifier", stderr);

        (exit, stdout, stderr) = Smpc("schema", "infer", s.Harbour, "--identifiers", "given=nickname");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("'nickname' is not an identifier kind (for 'given')", stderr);
        (exit, _, stderr) = Smpc("schema", "infer", s.Harbour, "--identifiers", "giv=firstName");
        Assert.Equal(2, exit);
        Assert.Contains("does not have: giv", stderr);
    }

    [Fact]
    public void Infer_refuses_an_empty_file_with_exit_2()
    {
        var path = Path.Combine(NewFolder(), "nothing.csv");
        File.WriteAllText(path, "");
        var (exit, stdout, stderr) = Smpc("schema", "infer", path);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("nothing.csv:1:1: the file is empty", stderr);
    }

    static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) return dir.FullName;
            throw new InvalidOperationException($"No Smpc.Analytics.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Runs the smpc.dll built in this test assembly's configuration.</summary>
    static (int ExitCode, string Out, string Err) Smpc(params string[] args)
    {
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        string cli = Path.Combine(Root, "src", "Smpc.Cli", "bin", configuration, "net10.0", "smpc.dll");
        Assert.True(File.Exists(cli), $"Build src/Smpc.Cli ({configuration}) first: {cli} is missing.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) { process.Kill(entireProcessTree: true); throw new TimeoutException("smpc did not finish within 3 minutes."); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
