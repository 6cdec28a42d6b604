using System.Text;
using Smpc.Analytics.Studies.Store;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Parties;

/// <summary>
/// The store identity check at mesh start: the three compute parties exchange the list of contributions they hold for
/// the study (dataset name and upload id, nothing else) and compute only when all three hold the same. A party restarted
/// with an empty store, another party's store or a stale backup is refused with the difference named, by all three
/// together (each compares the same three lists). Leakage: dataset names and upload ids, which the parties hold alike.
/// </summary>
public static class StoreAgreement
{
    /// <summary>This party's contributions to <paramref name="study"/>: one "dataset upload-id" line each, in name order.</summary>
    public static string Catalogue(PartyStore store, string study) =>
        string.Join("\n", store.Datasets(study).Select(d => store.Find(study, d)).OfType<StoredDataset>().Select(r => $"{r.Dataset} {r.UploadId}"));

    /// <summary>Sends this party's catalogue to both peers and returns the three catalogues by party id.</summary>
    public static string[] Exchange(TlsNetwork network, string mine)
    {
        var bytes = Encoding.UTF8.GetBytes(mine);
        network.Next.Send(bytes);
        network.Prev.Send(bytes);
        var all = new string[3];
        all[network.PartyId] = mine;
        all[(network.PartyId + 1) % 3] = Encoding.UTF8.GetString(network.Next.Receive());
        all[(network.PartyId + 2) % 3] = Encoding.UTF8.GetString(network.Prev.Receive());
        return all;
    }

    /// <summary>Null when the three parties hold the same contributions, else why they may not compute together.</summary>
    public static string? Compare(string study, IReadOnlyList<string> catalogues)
    {
        var held = catalogues.Select(c => c.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2)).ToDictionary(x => x[0], x => x.Length > 1 ? x[1] : "", StringComparer.Ordinal)).ToArray();
        var problems = new List<string>();
        foreach (var dataset in held.SelectMany(h => h.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var uploads = held.Select(h => h.GetValueOrDefault(dataset)).ToArray();
            if (uploads.Distinct().Count() == 1) continue;
            string Holds(int p) => uploads[p] is { } u ? $"upload {u}" : "nothing";
            var majority = uploads.GroupBy(u => u).FirstOrDefault(g => g.Count() == 2)?.Key;
            int odd = Array.FindIndex(uploads, u => u != majority);
            problems.Add(uploads.Count(u => u == majority) == 2
                ? $"party {odd} holds {Holds(odd)} of '{dataset}', parties {string.Join(" and ", Enumerable.Range(0, 3).Where(p => p != odd))} hold {(majority is null ? "nothing" : $"upload {majority}")}"
                : $"the parties hold different uploads of '{dataset}' (party 0: {Holds(0)}; party 1: {Holds(1)}; party 2: {Holds(2)})");
        }
        if (problems.Count == 0) return null;
        var empty = Enumerable.Range(0, 3).Where(p => held[p].Count == 0 && held.Any(h => h.Count > 0)).ToArray();
        var hint = empty.Length == 1
            ? $" Party {empty[0]}'s store holds no contribution of the study: was it restarted with an empty or another store?"
            : "";
        return $"The compute parties' stores of study '{study}' differ, so they do not compute together: {string.Join("; ", problems)}.{hint} " +
            "Restore the party's own store, or let the contributors run `smpc contribute` again (it is idempotent) so that all three hold the same uploads.";
    }
}
