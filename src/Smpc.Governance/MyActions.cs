using static System.FormattableString;

namespace Smpc.Governance;

/// <summary>
/// What is waiting on a person across their studies, longest-waiting first: the coordinator's next move, a steward's
/// terms to document, approve or upload under, a point of contact's commitment, a compute operator's attestation.
/// </summary>
public static class MyActions
{
    static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;

    /// <param name="reviews">Releases held for review in these studies (the registry's table); a steward of a dataset's
    /// organisation is asked to review each on that dataset.</param>
    public static IReadOnlyList<ActionItem> For(Person person, IEnumerable<Study> studies, DateTime now, IEnumerable<Review.PendingReview>? reviews = null)
    {
        var pending = reviews?.ToList() ?? [];
        var items = new List<ActionItem>();
        var today = DateOnly.FromDateTime(now);
        foreach (var study in studies.Where(s => s.Stage != StudyStage.Closed))
        {
            var roles = study.RolesOf(person.Id).ToHashSet();
            void Add(string kind, string text, DateTime since, Guid? dataset = null, Guid? organisation = null) =>
                items.Add(new ActionItem(study.Id, study.Title, kind, text, since) { DatasetId = dataset, OrganisationId = organisation });

            if (roles.Contains(StudyRole.Coordinator) && StudyLifecycle.Next(study.Stage) is { } next
                && StudyLifecycle.UnmetCriteria(study, next, today).Count == 0)
                Add("advance", $"Move the study to {next}: its entry criteria are met", study.StageEnteredAt);

            var conflicts = TermsConflicts.Of(study);
            if (roles.Contains(StudyRole.Coordinator))
                foreach (var c in conflicts)
                    Add("resolve-conflict", $"The study conflicts with {c}: change the plan or the partners, or ask the steward for terms that allow them",
                        Later(study.Datasets.First(d => d.Id == c.DatasetId).CurrentTerms!.DocumentedAt, study.StageEnteredAt));

            if (roles.Contains(StudyRole.DataSteward))
                foreach (var d in study.Datasets.Where(d => d.OrganisationId == person.OrganisationId).OrderBy(d => d.Name, StringComparer.Ordinal))
                {
                    if (d.CurrentTerms is not { } t) { Add("document-terms", $"Document the terms of dataset '{d.Name}'", d.AddedAt, d.Id); continue; }
                    if (conflicts.Any(c => c.DatasetId == d.Id))
                    {
                        if (d.CurrentApproval is null)
                            Add("resolve-conflict", $"The study conflicts with terms {t.Label} of dataset '{d.Name}': approval waits until the coordinator or you resolve it", t.DocumentedAt, d.Id);
                        continue;
                    }
                    if (d.CurrentApproval is null) Add("approve-terms", $"Approve terms {t.Label} of dataset '{d.Name}'", t.DocumentedAt, d.Id);
                    else if (study.Stage == StudyStage.Approved && !d.Uploads.Any(u => u.TermsHash == t.Hash))
                        Add("upload", $"Upload dataset '{d.Name}' under terms v{t.Version} and record the receipt", study.StageEnteredAt, d.Id);
                }

            if (roles.Contains(StudyRole.DataSteward))
                foreach (var r in pending.Where(r => r.StudyId == study.Id).OrderBy(r => r.Since))
                    if (study.Datasets.FirstOrDefault(d => d.Id == r.DatasetId) is { } d && d.OrganisationId == person.OrganisationId)
                        Add("review-release", $"Review a release of '{d.Name}' for {r.Analyst}: {r.Request}", r.Since, d.Id);

            foreach (var org in study.ParticipatingOrganisations().Where(o => o.PointOfContactId == person.Id))
                if (!study.Commitments.Any(c => c.OrganisationId == org.Id))
                    Add("commitment", $"Record the commitment of '{org.Name}' (role, deliverables, dates)", study.CreatedAt, organisation: org.Id);

            if (roles.Contains(StudyRole.ComputeOperator) && study.Stage == StudyStage.Analysis
                && study.EarliestExpiry() is { } e && e.Date < today
                && !study.Attestations.Any(a => a.OrganisationId == person.OrganisationId))
                Add("destruction", Invariant($"Analysis ended on {e.Date:yyyy-MM-dd}: destroy the shares of '{person.Organisation.Name}' and attest it"),
                    e.Date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        }
        return items.OrderBy(i => i.Since).ThenBy(i => i.StudyTitle, StringComparer.Ordinal).ToList();
    }
}
