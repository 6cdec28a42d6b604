using System.Diagnostics;
using System.Text.Json;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Tests.Columnar;

/// <summary>Schemas are read and written through source-generated metadata: members left out keep their defaults,
/// the JSON round-trips, and a .NET file-based app (where reflection-based serialisation is disabled) loads one.</summary>
public sealed class SchemaJsonTests
{
    const string Minimal = """{ "name": "clinic", "columns": [ { "name": "age", "kind": "integer", "min": 0, "max": 120 }, { "name": "fee", "kind": "fixedPoint", "min": 0, "max": 1000, "fractionBits": 12 } ] }""";

    [Fact]
    public void Members_left_out_keep_their_defaults_and_the_metadata_is_source_generated()
    {
        Assert.IsNotType<System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver>(TableSchema.JsonInfo.OriginatingResolver);
        var schema = JsonSerializer.Deserialize(Minimal, TableSchema.JsonInfo)!;
        Assert.Equal(16, schema.Column("age").FractionBits);
        Assert.Equal(12, schema.Column("fee").FractionBits);
        Assert.Empty(schema.Identifiers);
        Assert.Equal(ColumnKind.FixedPoint, schema.Column("fee").Kind);
        var again = JsonSerializer.Deserialize(JsonSerializer.Serialize(schema, TableSchema.JsonInfo), TableSchema.JsonInfo)!;
        Assert.Equal(schema.Columns, again.Columns);
        Assert.Contains("\"fixedPoint\"", JsonSerializer.Serialize(schema, TableSchema.JsonInfo));
    }

    [Fact]
    public async Task A_file_based_app_loads_a_schema()
    {
        var dir = Directory.CreateTempSubdirectory("smpc-file-app-").FullName;
        try
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(root, "Smpc.Analytics.sln"))) root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("repository root");
            var project = Path.Combine(root, "src", "Smpc.Analytics", "Smpc.Analytics.csproj");
            File.WriteAllText(Path.Combine(dir, "schema.json"), Minimal);
            File.WriteAllText(Path.Combine(dir, "app.cs"), $"""
                #:project {project}
                using Smpc.Analytics.Columnar;
                var schema = TableSchema.Load(args[0]);
                foreach (var c in schema.Columns) Console.WriteLine($"{"{"}c.Name{"}"} {"{"}c.Kind{"}"} {"{"}c.FractionBits{"}"}");
                Console.WriteLine($"identifiers {"{"}schema.Identifiers.Count{"}"}");
                """);
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "run", "app.cs", "--", "schema.json" }) info.ArgumentList.Add(a);
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
            await p.WaitForExitAsync(timeout.Token);
            string output = await stdout, errors = await stderr;
            Assert.True(p.ExitCode == 0, output + errors);
            Assert.Equal(["age Integer 16", "fee FixedPoint 12", "identifiers 0"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
