using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance.DataUse;
using Smpc.Governance;
using Smpc.Registry.Data;

namespace Smpc.Registry.Hosting;

/// <summary>
/// The first administrator, and the demo: the three synthetic agencies of <c>data/synthetic</c> (veterans'
/// administration, bank, statistics office), the research institute that coordinates, their people, and the veterans'
/// financial well-being study where the field report left it — terms documented, every organisation committed, the
/// veterans' and survey terms approved, and the bank's approval outstanding for about three months. The demo's second
/// study, the pilot that <c>smpc registry --demo</c> lives through to its analysis, is <see cref="DemoPilot"/>.
/// </summary>
public static class RegistrySeeder
{
    public const string AdminEmail = "admin@registry.localhost";

    public static async Task<(string Email, string? Password)> EnsureAdminAsync(RegistryDb db, UserManager<RegistryUser> users)
    {
        if (await db.Users.AnyAsync(u => u.IsAdmin)) return (await db.Users.Where(u => u.IsAdmin).Select(u => u.Email!).FirstAsync(), null);
        var org = await db.Organisations.FirstOrDefaultAsync(o => o.Slug == "registry");
        if (org is null)
        {
            org = new Organisation { Slug = "registry", Name = "Registry operators" };
            db.Organisations.Add(org);
            await db.SaveChangesAsync();
        }
        var (person, _, password) = await Accounts.CreateAsync(db, users, org, "Registry administrator", AdminEmail, isAdmin: true);
        org.PointOfContactId ??= person.Id;
        await db.SaveChangesAsync();
        return (person.Email, password);
    }

    public const string DemoStudyTitle = "Veterans' financial well-being";

    public static async Task<DemoReport> SeedDemoAsync(RegistryDb db, UserManager<RegistryUser> users, DateTime now)
    {
        if (await db.Studies.FirstOrDefaultAsync(s => s.Title == DemoStudyTitle) is { } existing)
            return new DemoReport(existing.Id, existing.Title, await DemoPeopleAsync(db), null);
        string password = Passwords.Generate();
        var people = new List<(string, string)>();
        async Task<Organisation> Org(string slug, string name)
        {
            var o = new Organisation { Slug = slug, Name = name };
            db.Organisations.Add(o);
            await db.SaveChangesAsync();
            return o;
        }
        async Task<Person> P(Organisation org, string name, string email, string description)
        {
            var (person, _, _) = await Accounts.CreateAsync(db, users, org, name, email, password: password);
            people.Add((person.Email, $"{name}, {org.Name}: {description}"));
            return person;
        }
        var va = await Org("va", "Veterans' Administration (synthetic)");
        var bank = await Org("bank", "Retail bank (synthetic)");
        var stats = await Org("stats", "Statistics office (synthetic)");
        var research = await Org("research", "Veterans' research institute (synthetic)");

        var coordinator = await P(research, "Pat Quinn", "pat.quinn@research.example", "coordinator, point of contact");
        var analyst = await P(research, "Alex Rivera", "alex.rivera@research.example", "analyst");
        var opResearch = await P(research, "Jamie Flores", "jamie.flores@research.example", "compute operator");
        var vaContact = await P(va, "Dana Reyes", "dana.reyes@va.example", "point of contact");
        var vaSteward = await P(va, "Sam Okafor", "sam.okafor@va.example", "data steward of 'veterans'");
        var opVa = await P(va, "Lee Park", "lee.park@va.example", "compute operator");
        var bankContact = await P(bank, "Morgan Ellis", "morgan.ellis@bank.example", "point of contact");
        var bankSteward = await P(bank, "Riley Chen", "riley.chen@bank.example", "data steward of 'bank' (approval outstanding)");
        var statsContact = await P(stats, "Avery Shah", "avery.shah@stats.example", "point of contact");
        var statsSteward = await P(stats, "Jordan Kim", "jordan.kim@stats.example", "data steward of 'survey'");
        var opStats = await P(stats, "Casey Novak", "casey.novak@stats.example", "compute operator");
        var auditor = await P(stats, "Taylor Brooks", "taylor.brooks@stats.example", "auditor (disclosure review board)");
        research.PointOfContactId = coordinator.Id;
        va.PointOfContactId = vaContact.Id;
        bank.PointOfContactId = bankContact.Id;
        stats.PointOfContactId = statsContact.Id;
        await db.SaveChangesAsync();

        DateTime Day(int daysAgo) => now.AddDays(-daysAgo);
        var study = StudyLifecycle.Create(DemoStudyTitle,
            "Link veterans' benefit records with bank accounts and the graduate survey to describe veterans' financial well-being, " +
            "computing only aggregates under each agency's data-use terms.", coordinator, Day(120));
        var c = Actor.Of(coordinator);
        foreach (var (person, role) in new[]
                 {
                     (analyst, StudyRole.Analyst), (opResearch, StudyRole.ComputeOperator), (opVa, StudyRole.ComputeOperator), (opStats, StudyRole.ComputeOperator),
                     (vaSteward, StudyRole.DataSteward), (bankSteward, StudyRole.DataSteward), (statsSteward, StudyRole.DataSteward), (auditor, StudyRole.Auditor),
                 })
            StudyLifecycle.AddMember(study, c, person, role, Day(118));
        var veterans = StudyLifecycle.AddDataset(study, c, "veterans", va, Day(117));
        var bankData = StudyLifecycle.AddDataset(study, c, "bank", bank, Day(117));
        var survey = StudyLifecycle.AddDataset(study, c, "survey", stats, Day(117));
        // Planned within every agency's terms: results stay with the study team, no quantiles (the bank's terms exclude them).
        StudyLifecycle.SetPlan(study, c, new StudyPlan
        {
            ReleaseAudience = [StudyPlan.StudyTeam],
            Operations = ["count", "sum", "mean", "variance", "histogram", "groupby", "crosstab", "correlation", "ols", "join"],
            PlannedEnd = new DateOnly(2027, 12, 31),   // the bank's terms expire then (a fixed date: never after the expiry)
        }, Day(116));
        StudyLifecycle.DocumentTerms(study, Actor.Of(vaSteward), veterans, Terms("veterans"), Day(110));
        StudyLifecycle.DocumentTerms(study, Actor.Of(statsSteward), survey, Terms("survey"), Day(105));
        var bankTerms = StudyLifecycle.DocumentTerms(study, Actor.Of(bankSteward), bankData, Terms("bank"), Day(95));
        StudyLifecycle.Advance(study, c, Day(94));
        StudyLifecycle.RecordCommitment(study, Actor.Of(coordinator), research, "Coordinator, analyst and compute party",
            "Study plan, secure analyses, report", DateOnly.FromDateTime(Day(-120)), Day(93));
        StudyLifecycle.RecordCommitment(study, Actor.Of(vaContact), va, "Data contributor and compute party",
            "Veterans' benefit file with terms; one compute party", DateOnly.FromDateTime(Day(-30)), Day(92));
        StudyLifecycle.RecordCommitment(study, Actor.Of(statsContact), stats, "Data contributor, compute party and disclosure review",
            "Graduate survey file with terms; one compute party; review of releases", DateOnly.FromDateTime(Day(-30)), Day(91));
        StudyLifecycle.RecordCommitment(study, Actor.Of(bankContact), bank, "Data contributor",
            "Customer accounts file, once data governance approves the terms", DateOnly.FromDateTime(Day(-30)), Day(91));
        StudyLifecycle.Advance(study, c, Day(90));
        StudyLifecycle.ApproveTerms(study, Actor.Of(vaSteward), veterans, veterans.CurrentTerms!.Hash, Day(88));
        StudyLifecycle.ApproveTerms(study, Actor.Of(statsSteward), survey, survey.CurrentTerms!.Hash, Day(85));
        _ = bankTerms; // the bank's governance office has not approved: internal use only, no redisclosure to other agencies
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        return new DemoReport(study.Id, study.Title, people, password);
    }

    static async Task<IReadOnlyList<(string, string)>> DemoPeopleAsync(RegistryDb db) =>
        (await db.People.Include(p => p.Organisation).Where(p => p.Email.EndsWith(".example")).ToListAsync())
            .Select(p => (p.Email, $"{p.Name}, {p.Organisation.Name}")).ToList();

    /// <summary>The synthetic agencies' terms files, embedded from <c>data/synthetic/*.terms.json</c>.</summary>
    public static DataUseTerms Terms(string dataset)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"terms/{dataset}.terms.json")
            ?? throw new InvalidOperationException($"terms/{dataset}.terms.json is not embedded.");
        using var reader = new StreamReader(stream);
        return TermsDocument.Parse(reader.ReadToEnd()).Validate($"{dataset}.terms.json");
    }
}
