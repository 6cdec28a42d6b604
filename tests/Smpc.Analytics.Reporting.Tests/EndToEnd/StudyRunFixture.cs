using Smpc.EndToEnd.Tests;
using System.Text.Json;

namespace Smpc.Analytics.Reporting.Tests.EndToEnd;

/// <summary>Runs the README's main job once, as a user would: `smpc study run --out &lt;temp&gt;` as a process from the repository root.</summary>
public sealed class StudyRunFixture : IDisposable
{
    public StudyRunFixture()
    {
        Output = CliProcess.TempFolder("smpc-study");
        using var cli = CliProcess.Start(Repo.Root, "study", "run", "--out", Output);
        ExitCode = cli.WaitForExit(TimeSpan.FromMinutes(15));
        Stdout = cli.Stdout;
        Stderr = cli.Stderr;
        var packet = Path.Combine(Output, ReportWriter.PacketJson);
        Packet = File.Exists(packet) ? JsonDocument.Parse(File.ReadAllText(packet)) : null;
    }

    public string Output { get; }
    public int ExitCode { get; }
    public string Stdout { get; }
    public string Stderr { get; }
    public JsonDocument? Packet { get; }

    public JsonElement Release(string title)
    {
        Assert.NotNull(Packet);
        return Packet.RootElement.GetProperty("releases").EnumerateArray().Single(r => r.GetProperty("title").GetString() == title);
    }

    /// <summary>Released rows of a release: keys → values (null when suppressed).</summary>
    public Dictionary<string, double?[]?> Rows(string title) =>
        Release(title).GetProperty("table").GetProperty("rows").EnumerateArray().ToDictionary(
            r => string.Join("|", r.GetProperty("keys").EnumerateArray().Select(k => k.GetString())),
            r => r.GetProperty("values").ValueKind == JsonValueKind.Null ? null
                : r.GetProperty("values").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray());

    /// <summary>One released value of a release by column and keys (none for a table without key columns); null when suppressed.</summary>
    public double? Cell(string title, string column, params string[] keys)
    {
        var table = Release(title).GetProperty("table");
        int k = table.GetProperty("valueColumns").EnumerateArray().Select(c => c.GetString()).ToList().IndexOf(column);
        Assert.True(k >= 0, $"'{title}' has no column '{column}'");
        return Rows(title)[string.Join("|", keys)]?[k];
    }

    public void Dispose()
    {
        Packet?.Dispose();
        try { Directory.Delete(Output, recursive: true); } catch (IOException) { }
    }
}
