using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Smpc.Governance.Transparency;

namespace Smpc.Analytics.Reporting.Tests.EndToEnd;

/// <summary>The main job's transparency log: every release and refusal of the packet has an entry whose inclusion
/// proof checks against the exported log's key, the log itself verifies, and each release's entry carries the SHA-256
/// of the very table the packet publishes (recomputed here from the packet); an edited table no longer matches.</summary>
public sealed class StudyRunLogTests(StudyRunFixture run) : IClassFixture<StudyRunFixture>
{
    [Fact]
    public void Every_release_and_refusal_is_in_the_log_with_a_proof_and_its_table_digest()
    {
        Assert.True(run.ExitCode == 0, run.Stderr);
        var export = LogExport.Load(Path.Combine(run.Output, ReportWriter.TransparencyLog));
        var verified = LogVerifier.Verify(export);
        Assert.True(verified.Sound, verified.Summary);
        Assert.Contains(ReportWriter.TransparencyLog, File.ReadAllText(Path.Combine(run.Output, ReportWriter.ManifestSums)));

        var releases = run.Packet!.RootElement.GetProperty("releases").EnumerateArray().ToList();
        Assert.True(releases.Count >= 10);
        foreach (var r in releases)
        {
            var id = r.GetProperty("id").GetString()!;
            var proof = InclusionProof.Parse(r.GetProperty("logProof").GetRawText(), id);
            proof.Verify(export.Log);
            Assert.Equal(id, proof.Entry.Data["release"]);
            Assert.Equal(export.Entries[(int)proof.Entry.Index].Canonical(), proof.Entry.Canonical());
            if (r.GetProperty("outcome").GetString() == "refused")
            {
                Assert.Equal(LogEntryKind.Refusal, proof.Entry.Kind);
                Assert.Equal(r.GetProperty("refusedBy").GetString(), proof.Entry.Data["rule"]);
                continue;
            }
            Assert.Equal(LogEntryKind.Release, proof.Entry.Kind);
            var table = r.GetProperty("table");
            Assert.Equal(Digest(table, edit: false), proof.Entry.Data["tableSha256"]);
            Assert.NotEqual(Digest(table, edit: true), proof.Entry.Data["tableSha256"]);
        }
    }

    /// <summary>The table digest as the log defines it (StudyLog.TableDigest), from the packet's JSON; with
    /// <paramref name="edit"/>, the first released value nudged by one unit in its last place.</summary>
    static string Digest(JsonElement table, bool edit)
    {
        var sb = new StringBuilder();
        bool edited = false;
        foreach (var row in table.GetProperty("rows").EnumerateArray())
        {
            sb.Append(string.Join('\u001f', row.GetProperty("keys").EnumerateArray().Select(k => k.GetString()))).Append('\u001e');
            if (row.GetProperty("values").ValueKind == JsonValueKind.Array)
                sb.Append(string.Join('\u001f', row.GetProperty("values").EnumerateArray().Select(v =>
                {
                    if (v.ValueKind == JsonValueKind.Null) return "";
                    double x = v.GetDouble();
                    if (edit && !edited) { edited = true; x = Math.BitIncrement(x); }
                    return x.ToString("R", CultureInfo.InvariantCulture);
                })));
            else sb.Append("suppressed:").Append(row.GetProperty("rule").GetString());
            sb.Append('\u001d');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
