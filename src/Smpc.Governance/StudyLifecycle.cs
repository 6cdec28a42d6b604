using Smpc.Governance.DataUse;
using static System.FormattableString;

namespace Smpc.Governance;

/// <summary>
/// The study lifecycle and every operation that changes a study. Each operation checks the actor's right first
/// (<see cref="StudyPermissions"/>), then the lifecycle rule, and refuses with an exception whose message names the
/// rule or each unmet criterion; on success it changes the study in memory and appends a <see cref="StudyEvent"/>.
/// The caller persists. Time is passed in (<c>now</c>, UTC), never read from a clock here.
/// </summary>
public static class StudyLifecycle
{
    /// <summary>Creates a study in draft with its creator as coordinator.</summary>
    public static Study Create(string title, string purpose, Person coordinator, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(title)) throw new TransitionRefusedException("A study needs a title.");
        var study = new Study { Title = title.Trim(), Purpose = purpose.Trim(), CreatedAt = now, StageEnteredAt = now };
        study.Members.Add(new StudyMember { StudyId = study.Id, PersonId = coordinator.Id, Person = coordinator, Role = StudyRole.Coordinator, AddedAt = now });
        Log(study, now, coordinator.Id, "created", $"Study created by {coordinator.Name} ({coordinator.Organisation.Name}), coordinator.");
        return study;
    }

    /// <summary>Entry criteria of <paramref name="target"/> that the study does not meet, each in words; empty when it may
    /// enter. Criteria accumulate up to data committed (a study in analysis still needs every dataset's terms
    /// approved); analysis adds the analyst and the expiry; closing needs every compute party's attestation.</summary>
    public static IReadOnlyList<string> UnmetCriteria(Study study, StudyStage target, DateOnly today)
    {
        var unmet = new List<string>();
        if (target == StudyStage.Draft) return unmet;
        if (target == StudyStage.Closed)
        {
            var attested = study.Attestations.Select(a => a.OrganisationId).ToHashSet();
            foreach (var org in study.ComputeOrganisations().Where(o => !attested.Contains(o.Id)))
                unmet.Add($"compute party '{org.Name}' has not attested that its shares are destroyed");
            return unmet;
        }
        // Terms documented
        if (study.Datasets.Count == 0) unmet.Add("the study has no datasets");
        foreach (var d in study.Datasets.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (d.CurrentTerms is null) unmet.Add($"dataset '{d.Name}' has no terms");
            if (!study.Members.Any(m => m.Role == StudyRole.DataSteward && m.Person.OrganisationId == d.OrganisationId))
                unmet.Add($"dataset '{d.Name}' has no data steward of '{d.Organisation.Name}' in the study");
        }
        foreach (var c in TermsConflicts.Of(study))
            unmet.Add($"the study conflicts with {c}");
        if (target == StudyStage.TermsDocumented) return unmet;
        // Commitments
        foreach (var org in study.ParticipatingOrganisations())
        {
            if (org.PointOfContactId is null) unmet.Add($"'{org.Name}' has no point of contact");
            else if (!study.Commitments.Any(c => c.OrganisationId == org.Id))
                unmet.Add($"'{org.Name}' has not recorded its commitment (point of contact: {org.PointOfContact?.Name ?? "unnamed"})");
        }
        if (target == StudyStage.Commitments) return unmet;
        // Approved
        foreach (var d in study.Datasets.OrderBy(d => d.Name, StringComparer.Ordinal))
            if (d.CurrentTerms is { } t && d.CurrentApproval is null)
                unmet.Add($"steward of '{d.Name}' has not approved terms {t.Label}");
        if (target == StudyStage.Approved) return unmet;
        // Data committed
        foreach (var d in study.Datasets.OrderBy(d => d.Name, StringComparer.Ordinal))
            if (d.CurrentTerms is { } t && !d.Uploads.Any(u => u.TermsHash == t.Hash))
                unmet.Add($"dataset '{d.Name}' has no upload receipt under terms {t.Label}");
        if (target == StudyStage.DataCommitted) return unmet;
        // Analysis
        if (!study.Members.Any(m => m.Role == StudyRole.Analyst)) unmet.Add("the study has no analyst");
        if (!study.Members.Any(m => m.Role == StudyRole.ComputeOperator)) unmet.Add("the study has no compute operator");
        if (study.EarliestExpiry() is { } e && e.Date < today)
            unmet.Add(Invariant($"terms of dataset '{e.Dataset.Name}' expired on {e.Date:yyyy-MM-dd}"));
        return unmet;
    }

    /// <summary>The stage after <paramref name="stage"/>, or null after closed.</summary>
    public static StudyStage? Next(StudyStage stage) => stage == StudyStage.Closed ? null : stage + 1;

    /// <summary>Moves the study to its next stage when every entry criterion is met; otherwise refuses, naming each.</summary>
    public static StudyStage Advance(Study study, Actor actor, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.Coordinate, study);
        var next = Next(study.Stage) ?? throw new TransitionRefusedException($"Study '{study.Title}' is closed.");
        var unmet = UnmetCriteria(study, next, DateOnly.FromDateTime(now));
        if (unmet.Count > 0)
            throw new TransitionRefusedException($"Study '{study.Title}' cannot move to {next}: {string.Join("; ", unmet)}.", unmet);
        MoveTo(study, next, now, actor.PersonId, $"Study moved to {next}.");
        return next;
    }

    /// <summary>Whether analyses may run today: in analysis and before the earliest expiry of the terms.</summary>
    public static bool AnalysisOpen(Study study, DateOnly today) =>
        study.Stage == StudyStage.Analysis && (study.EarliestExpiry() is not { } e || e.Date >= today);

    public static StudyMember AddMember(Study study, Actor actor, Person person, StudyRole role, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.Coordinate, study);
        NotClosed(study);
        if (!person.Active) throw new TransitionRefusedException($"{person.Name} is deactivated.");
        if (study.Members.FirstOrDefault(m => m.PersonId == person.Id && m.Role == role) is { } existing) return existing;
        bool newOrganisation = role != StudyRole.Auditor && study.ParticipatingOrganisations().All(o => o.Id != person.OrganisationId);
        var member = new StudyMember { StudyId = study.Id, PersonId = person.Id, Person = person, Role = role, AddedAt = now };
        study.Members.Add(member);
        Log(study, now, actor.PersonId, "member", $"{person.Name} ({person.Organisation.Name}) added as {role}.");
        if (newOrganisation && study.Stage > StudyStage.TermsDocumented)
            MoveTo(study, StudyStage.TermsDocumented, now, actor.PersonId,
                $"'{person.Organisation.Name}' joined the study; its commitment is needed, so the study returns to {StudyStage.TermsDocumented}.");
        return member;
    }

    public static Dataset AddDataset(Study study, Actor actor, string name, Organisation owner, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.Coordinate, study);
        if (string.IsNullOrWhiteSpace(name)) throw new TransitionRefusedException("A dataset needs a name.");
        if (study.Stage >= StudyStage.Approved)
            throw new TransitionRefusedException($"Datasets can be added only before the study is approved; '{study.Title}' is {study.Stage}.");
        if (study.Datasets.Any(d => d.Name == name.Trim())) throw new TransitionRefusedException($"Study '{study.Title}' already has a dataset '{name.Trim()}'.");
        var dataset = new Dataset { StudyId = study.Id, Name = name.Trim(), OrganisationId = owner.Id, Organisation = owner, AddedAt = now };
        study.Datasets.Add(dataset);
        Log(study, now, actor.PersonId, "dataset", $"Dataset '{dataset.Name}' of '{owner.Name}' added.");
        if (study.Stage > StudyStage.Draft)
            MoveTo(study, StudyStage.Draft, now, actor.PersonId, $"Dataset '{dataset.Name}' has no terms yet, so the study returns to {StudyStage.Draft}.");
        return dataset;
    }

    /// <summary>
    /// Documents a new terms version of a dataset (a steward of its organisation). Terms whose canonical form equals the
    /// current version's change nothing. Otherwise the new version voids every approval bound to an older version and,
    /// when the study was approved or beyond, moves it back to <see cref="StudyStage.Commitments"/>; the event records the
    /// field-level diff.
    /// </summary>
    public static TermsVersion DocumentTerms(Study study, Actor actor, Dataset dataset, DataUseTerms terms, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.DocumentTerms, study, dataset.OrganisationId);
        NotClosed(study);
        if (terms.Dataset != dataset.Name)
            throw new TransitionRefusedException($"The terms name dataset '{terms.Dataset}', not '{dataset.Name}'.");
        string canonical;
        try { canonical = TermsDocument.Canonical(terms); }
        catch (Smpc.Analytics.Columnar.SchemaException e) { throw new TransitionRefusedException(e.Message); }
        string hash = TermsDocument.Hash(canonical);
        var current = dataset.CurrentTerms;
        if (current?.Hash == hash) return current;
        var version = new TermsVersion
        {
            DatasetId = dataset.Id, Version = (current?.Version ?? 0) + 1, CanonicalJson = canonical, Hash = hash,
            DocumentedById = actor.PersonId, DocumentedAt = now,
        };
        dataset.TermsVersions.Add(version);
        if (current is null)
        {
            Log(study, now, actor.PersonId, "terms", $"Terms of '{dataset.Name}' documented: {version.Label}.");
            LogConflicts(study, dataset, actor, now);
            return version;
        }
        var diff = TermsDiff.Between(current.CanonicalJson, canonical);
        Log(study, now, actor.PersonId, "terms",
            $"Terms of '{dataset.Name}' changed from {current.Label} to {version.Label}: {string.Join("; ", diff)}.");
        foreach (var approval in dataset.Approvals.Where(a => a.VoidedAt is null))
        {
            approval.VoidedAt = now;
            approval.VoidedBecause = $"terms changed to {version.Label}";
            Log(study, now, actor.PersonId, "approval-voided", $"Approval of '{dataset.Name}' terms v{approval.TermsVersion} voided: terms changed to {version.Label}.");
        }
        if (study.Stage >= StudyStage.Approved)
            MoveTo(study, StudyStage.Commitments, now, actor.PersonId,
                $"Approved terms of '{dataset.Name}' changed, so the study returns to {StudyStage.Commitments} until they are approved again.");
        LogConflicts(study, dataset, actor, now);
        return version;
    }

    /// <summary>The coordinator states what the study will do with the data (<see cref="StudyPlan"/>); the conflict check
    /// reads it. Refused once the study is closed; an unchanged plan changes nothing.</summary>
    public static StudyPlan SetPlan(Study study, Actor actor, StudyPlan plan, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.Coordinate, study);
        NotClosed(study);
        var valid = plan.Validate();
        string json = valid.ToJson();
        if (json == study.PlanJson) return valid;
        study.PlanJson = json;
        Log(study, now, actor.PersonId, "plan", $"Plan set: {valid}.");
        foreach (var d in study.Datasets.OrderBy(d => d.Name, StringComparer.Ordinal)) LogConflicts(study, d, actor, now);
        return valid;
    }

    /// <summary>A steward of the dataset's organisation approves its current terms, naming the hash they read.</summary>
    public static TermsApproval ApproveTerms(Study study, Actor actor, Dataset dataset, string termsHash, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.ApproveTerms, study, dataset.OrganisationId);
        NotClosed(study);
        var current = dataset.CurrentTerms ?? throw new TransitionRefusedException($"dataset '{dataset.Name}' has no terms");
        if (!string.Equals(current.Hash, termsHash?.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new TransitionRefusedException(
                $"The terms of '{dataset.Name}' are now {current.Label}; the approval names sha256 {termsHash}. Read the current version and approve its hash.");
        if (dataset.CurrentApproval is { } existing) return existing;
        var conflicts = TermsConflicts.Of(study, dataset);
        if (conflicts.Count > 0)
            throw new TransitionRefusedException(
                $"Terms of '{dataset.Name}' cannot be approved while the study conflicts with them: {string.Join("; ", conflicts)}. "
                + "The coordinator changes the plan or the partners, or the steward documents terms that allow them.", conflicts.Select(c => c.ToString()).ToList());
        var approval = new TermsApproval
        {
            DatasetId = dataset.Id, TermsVersion = current.Version, TermsHash = current.Hash, ApprovedById = actor.PersonId, ApprovedAt = now,
        };
        dataset.Approvals.Add(approval);
        Log(study, now, actor.PersonId, "approval", $"Terms of '{dataset.Name}' {current.Label} approved.");
        return approval;
    }

    /// <summary>An organisation's point of contact records its commitment (replacing an earlier one).</summary>
    public static Commitment RecordCommitment(Study study, Actor actor, Organisation organisation, string role, string deliverables, DateOnly? dueBy, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.RecordCommitment, study, organisation.Id);
        NotClosed(study);
        if (string.IsNullOrWhiteSpace(role) || string.IsNullOrWhiteSpace(deliverables))
            throw new TransitionRefusedException("A commitment states the organisation's role and its deliverables.");
        study.Commitments.RemoveAll(c => c.OrganisationId == organisation.Id);
        var commitment = new Commitment
        {
            StudyId = study.Id, OrganisationId = organisation.Id, Role = role.Trim(), Deliverables = deliverables.Trim(), DueBy = dueBy,
            RecordedById = actor.PersonId, RecordedAt = now,
        };
        study.Commitments.Add(commitment);
        Log(study, now, actor.PersonId, "commitment",
            Invariant($"'{organisation.Name}' committed as {commitment.Role}: {commitment.Deliverables}{(dueBy is { } d ? $", by {d:yyyy-MM-dd}" : "")}."));
        return commitment;
    }

    /// <summary>A steward records that the dataset's shares reached the compute parties under the approved terms.</summary>
    public static UploadReceipt RecordUpload(Study study, Actor actor, Dataset dataset, string manifestSha256, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.RecordUpload, study, dataset.OrganisationId);
        if (study.Stage is not (StudyStage.Approved or StudyStage.DataCommitted))
            throw new TransitionRefusedException($"Uploads are recorded once the study is approved; '{study.Title}' is {study.Stage}.");
        string sha = (manifestSha256 ?? "").Trim().ToLowerInvariant();
        if (sha.Length != 64 || !sha.All(Uri.IsHexDigit))
            throw new TransitionRefusedException("An upload receipt names the share manifest's SHA-256 as 64 hex digits.");
        var terms = dataset.CurrentTerms!;
        var receipt = new UploadReceipt { DatasetId = dataset.Id, TermsHash = terms.Hash, ManifestSha256 = sha, RecordedById = actor.PersonId, RecordedAt = now };
        dataset.Uploads.Add(receipt);
        Log(study, now, actor.PersonId, "upload", $"Upload of '{dataset.Name}' under terms {terms.Label} recorded (manifest sha256 {sha[..12]}…).");
        return receipt;
    }

    /// <summary>A compute operator attests that their organisation destroyed its shares.</summary>
    public static DestructionAttestation AttestDestruction(Study study, Actor actor, Organisation organisation, DateTime now)
    {
        StudyPermissions.Demand(actor, StudyAction.AttestDestruction, study, organisation.Id);
        if (study.Stage != StudyStage.Analysis)
            throw new TransitionRefusedException($"Shares are attested destroyed at the end of analysis; '{study.Title}' is {study.Stage}.");
        if (study.Attestations.FirstOrDefault(a => a.OrganisationId == organisation.Id) is { } existing) return existing;
        var attestation = new DestructionAttestation { StudyId = study.Id, OrganisationId = organisation.Id, AttestedById = actor.PersonId, AttestedAt = now };
        study.Attestations.Add(attestation);
        Log(study, now, actor.PersonId, "destruction", $"'{organisation.Name}' attested that its shares are destroyed.");
        return attestation;
    }

    static void LogConflicts(Study study, Dataset dataset, Actor actor, DateTime now)
    {
        foreach (var c in TermsConflicts.Of(study, dataset))
            Log(study, now, actor.PersonId, "conflict", $"The study conflicts with {c}.");
    }

    static void NotClosed(Study study)
    {
        if (study.Stage == StudyStage.Closed) throw new TransitionRefusedException($"Study '{study.Title}' is closed.");
    }

    static void MoveTo(Study study, StudyStage stage, DateTime now, Guid? actorId, string text)
    {
        study.Stage = stage;
        study.StageEnteredAt = now;
        Log(study, now, actorId, "stage", text);
    }

    static void Log(Study study, DateTime now, Guid? actorId, string kind, string text)
    {
        study.Revision++;
        study.Events.Add(new StudyEvent { StudyId = study.Id, At = now, ActorId = actorId, Kind = kind, Text = text });
    }
}
