using System.Globalization;
using System.Text;

namespace Smpc.Analytics.Studies.Registry;

/// <summary>My studies and my actions as plain-text tables (the command line) — one row per study and organisation,
/// one row per action with how long it has waited.</summary>
public static class RegistryTables
{
    public static string Studies(IReadOnlyList<RegistryStudy> studies)
    {
        if (studies.Count == 0) return "You are in no study.\n";
        var rows = new List<string[]> { new[] { "study", "stage", "my roles", "organisation", "status", "owes" } };
        foreach (var s in studies)
            for (int i = 0; i < Math.Max(1, s.Organisations.Count); i++)
            {
                var o = s.Organisations.Count > 0 ? s.Organisations[i] : null;
                rows.Add([
                    i == 0 ? s.Title + (s.Conflicts > 0 ? $" ({s.Conflicts} conflict(s) with the terms)" : "") : "",
                    i == 0 ? s.Stage : "", i == 0 ? string.Join(",", s.MyRoles) : "",
                    o?.Name ?? "", o is null ? "" : Status(o), o is null ? "" : string.Join("; ", o.Owes),
                ]);
            }
        return Format(rows);
    }

    public static string Actions(IReadOnlyList<RegistryAction> actions)
    {
        if (actions.Count == 0) return "Nothing is waiting on you.\n";
        var rows = new List<string[]> { new[] { "waiting", "study", "kind", "what" } };
        rows.AddRange(actions.Select(a => new[] { Waited(a.WaitingDays), a.Study, a.Kind, a.Text }));
        return Format(rows);
    }

    public static string Waited(double days) =>
        days >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)days} days") : days * 24 >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)(days * 24)} hours") : "under an hour";

    static string Status(RegistryOrganisationStatus o)
    {
        string s = o.Committed ? "committed" + (o.CommittedDueBy is { } d ? string.Create(CultureInfo.InvariantCulture, $" (by {d:yyyy-MM-dd})") : "") : "not committed";
        if (o.Datasets.Count > 0) s += $"; terms approved {o.Datasets.Count(d => d.Approved)}/{o.Datasets.Count}";
        return s;
    }

    static string Format(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var r in rows)
            sb.Append(string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd()).Append('\n');
        return sb.ToString();
    }
}
