using static System.FormattableString;

namespace Smpc.Governance;

/// <summary>
/// The coordinator's critical path: everything the study's next stages wait on, each with the organisation that owes
/// it, how long it has waited, and the date the organisation committed to (its commitment's due date, the planned
/// schedule); overdue items first (most overdue first), then the longest waiting. The field report's lesson: treat
/// approvals as a critical-path dependency and measure them against the schedule. The clock is passed in.
/// </summary>
public static class CriticalPath
{
    public static CriticalPathReport Of(Study study, DateTime now)
    {
        var today = DateOnly.FromDateTime(now);
        var items = new List<CriticalItem>();
        DateOnly? Due(Guid orgId) => study.Commitments.FirstOrDefault(c => c.OrganisationId == orgId)?.DueBy;
        void Add(string kind, Organisation org, string text, DateTime since)
        {
            var due = Due(org.Id);
            int? overdue = due is { } d && d < today ? today.DayNumber - d.DayNumber : null;
            items.Add(new CriticalItem(kind, org.Id, org.Name, text, since, (now - since).TotalDays, due, overdue));
        }
        if (study.Stage != StudyStage.Closed)
        {
            var conflicts = TermsConflicts.Of(study);
            foreach (var d in study.Datasets.OrderBy(d => d.Name, StringComparer.Ordinal))
            {
                if (d.CurrentTerms is not { } t) { Add("document-terms", d.Organisation, $"terms of '{d.Name}' not documented", d.AddedAt); continue; }
                foreach (var c in conflicts.Where(c => c.DatasetId == d.Id))
                    Add("conflict", d.Organisation, $"conflict with {c}", Later(t.DocumentedAt, study.StageEnteredAt));
                if (d.CurrentApproval is null)
                    Add("approve-terms", d.Organisation, $"approval of '{d.Name}' terms {t.Label} outstanding", t.DocumentedAt);
                else if (study.Stage >= StudyStage.Approved && !d.Uploads.Any(u => u.TermsHash == t.Hash))
                    Add("upload", d.Organisation, $"upload of '{d.Name}' under terms v{t.Version} outstanding", Later(d.CurrentApproval.ApprovedAt, study.StageEnteredAt));
            }
            foreach (var org in study.ParticipatingOrganisations().Where(o => study.Commitments.All(c => c.OrganisationId != o.Id)))
                Add("commitment", org, org.PointOfContactId is null ? "no point of contact named, no commitment" : $"commitment not recorded (point of contact: {org.PointOfContact?.Name})",
                    study.CreatedAt);
            if (study.Stage == StudyStage.Analysis && study.EarliestExpiry() is { } e && e.Date < today)
                foreach (var org in study.ComputeOrganisations().Where(o => study.Attestations.All(a => a.OrganisationId != o.Id)))
                    Add("destruction", org, Invariant($"shares not attested destroyed (analysis ended {e.Date:yyyy-MM-dd})"), e.Date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        }
        var ordered = items.OrderByDescending(i => i.DaysOverdue ?? -1).ThenBy(i => i.Since).ThenBy(i => i.Organisation, StringComparer.Ordinal).ToList();
        var plannedEnd = study.Plan?.PlannedEnd ?? study.Commitments.Max(c => c.DueBy);
        return new CriticalPathReport(study.Id, study.Title, study.Stage, (now - study.CreatedAt).TotalDays, plannedEnd,
            plannedEnd is { } p ? p.DayNumber - today.DayNumber : null, ordered);
    }

    static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;
}

/// <summary>One thing the study waits on: what, owed by which organisation, waiting since when and for how many days,
/// against the date the organisation committed to (null: no date committed) and how many days overdue.</summary>
public sealed record CriticalItem(string Kind, Guid OrganisationId, string Organisation, string Text, DateTime Since, double DaysWaiting,
    DateOnly? DueBy, int? DaysOverdue);

/// <summary>The critical path of one study: days since it was created, the planned end (the plan's, else the latest
/// committed date) and the days left to it (negative: past), and the items, overdue first.</summary>
public sealed record CriticalPathReport(Guid StudyId, string Title, StudyStage Stage, double DaysElapsed, DateOnly? PlannedEnd, int? DaysToPlannedEnd,
    IReadOnlyList<CriticalItem> Items);
