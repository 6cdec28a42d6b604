using System.CommandLine;
using Smpc.Analytics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;

namespace Smpc.Cli.Commands;

/// <summary>
/// `smpc schema infer FILE` drafts a schema from a steward's own file (JSON on stdout, notes on stderr);
/// `smpc schema validate FILE --schema S` lists every problem of the file as FILE:LINE:COLUMN: message.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var schema = new Command("schema", "Draft and check the schema of your own dataset (CSV with a header, Arrow IPC or Parquet).");
        schema.Subcommands.Add(Infer());
        schema.Subcommands.Add(Validate());
        return schema;
    }

    static Command Infer()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The dataset: .csv (with a header row), .arrow/.arrows/.feather/.ipc or .parquet." };
        var identifiers = new Option<string?>("--identifiers") { Description = "Comma-separated columns that identify people (never shared; linkage inputs), e.g. ssn,first_name,last_name,dob; COLUMN=KIND gives the kind (ssn, firstName, lastName, dateOfBirth, sex, nameSuffix, recordId), e.g. given=firstName. Columns named like these are recognised anyway." };
        var name = new Option<string?>("--name") { Description = "The dataset's name (default: the file name without its extension)." };
        var categories = new Option<int>("--max-categories") { Description = "A text column with at most this many distinct values is categorical.", DefaultValueFactory = _ => 60 };
        var infer = new Command("infer", "Print a draft schema (the TableSchema JSON) on stdout; notes on what was guessed go to stderr.") { file, identifiers, name, categories };
        infer.SetAction(result =>
        {
            try
            {
                var (listed, kinds) = IdentifierList(Split(result.GetValue(identifiers)));
                var options = new InferenceOptions
                {
                    Name = result.GetValue(name),
                    Identifiers = listed,
                    IdentifierKinds = kinds,
                    MaxCategories = result.GetValue(categories),
                };
                var inferred = SchemaInference.Infer(result.GetValue(file)!.FullName, options);
                Console.Out.WriteLine(inferred.Json);
                foreach (var note in inferred.Notes) Console.Error.WriteLine("note: " + note);
                return 0;
            }
            catch (Exception e) when (e is SmpcException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return infer;
    }

    static Command Validate()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The dataset to check." };
        var schemaFile = new Option<FileInfo>("--schema") { Description = "Its schema (default: NAME.schema.json beside the file)." };
        var max = new Option<int>("--max-problems") { Description = "Stop after this many problems.", DefaultValueFactory = _ => DatasetReader.DefaultMaxProblems };
        var validate = new Command("validate", "Check a dataset against its schema; print every problem as FILE:LINE:COLUMN: message (exit 1 when there is one).") { file, schemaFile, max };
        validate.SetAction(result =>
        {
            var path = result.GetValue(file)!.FullName;
            var schemaPath = result.GetValue(schemaFile)?.FullName
                             ?? Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".schema.json");
            try
            {
                var problems = DatasetReader.Validate(path, TableSchema.Load(schemaPath), result.GetValue(max));
                foreach (var p in problems) Console.Out.WriteLine(p);
                if (problems.Count == 0)
                {
                    Console.Error.WriteLine($"{Path.GetFileName(path)} matches {Path.GetFileName(schemaPath)}.");
                    return 0;
                }
                Console.Error.WriteLine($"{problems.Count}{(problems.Count >= result.GetValue(max) ? "+" : "")} problem(s) in {Path.GetFileName(path)}.");
                return 1;
            }
            catch (Exception e) when (e is SmpcException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return validate;
    }

    /// <summary>"a,b=firstName": the columns listed, and the kinds given with "=".</summary>
    static (string[] Columns, Dictionary<string, IdentifierKind> Kinds) IdentifierList(string[] items)
    {
        var kinds = new Dictionary<string, IdentifierKind>(StringComparer.Ordinal);
        var columns = new List<string>();
        foreach (var item in items)
        {
            int eq = item.IndexOf('=');
            if (eq < 0) { columns.Add(item); continue; }
            string column = item[..eq].Trim(), kind = item[(eq + 1)..].Trim();
            if (!Enum.TryParse<IdentifierKind>(kind, ignoreCase: true, out var k) || !Enum.IsDefined(k) || kind.Length == 0 || char.IsDigit(kind[0]))
                throw new QueryException($"--identifiers: '{kind}' is not an identifier kind (for '{column}'). Kinds: {string.Join(", ", Enum.GetNames<IdentifierKind>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.");
            kinds[column] = k;
            columns.Add(column);
        }
        return ([.. columns], kinds);
    }

    static string[] Split(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
