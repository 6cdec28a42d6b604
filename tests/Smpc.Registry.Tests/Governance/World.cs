using Smpc.Governance.DataUse;
using Smpc.Governance;
using Smpc.Registry.Hosting;

namespace Smpc.Registry.Tests.Governance;

/// <summary>A small study in memory: a research institute coordinating, the veterans' administration and the bank
/// contributing one dataset each, with their stewards, points of contact, an analyst and two compute operators.</summary>
internal sealed class World
{
    public DateTime T0 { get; } = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public Organisation Research { get; } = new() { Slug = "research", Name = "Research institute" };
    public Organisation Va { get; } = new() { Slug = "va", Name = "Veterans' Administration" };
    public Organisation Bank { get; } = new() { Slug = "bank", Name = "Retail bank" };

    public Person Coordinator { get; }
    public Person Analyst { get; }
    public Person ResearchOperator { get; }
    public Person VaContact { get; }
    public Person VaSteward { get; }
    public Person VaOperator { get; }
    public Person BankContact { get; }
    public Person BankSteward { get; }
    public Person Outsider { get; }

    public Study Study { get; }
    public Dataset Veterans { get; }
    public Dataset BankData { get; }

    public World()
    {
        Coordinator = P(Research, "Pat Quinn");
        Analyst = P(Research, "Alex Rivera");
        ResearchOperator = P(Research, "Jamie Flores");
        VaContact = P(Va, "Dana Reyes");
        VaSteward = P(Va, "Sam Okafor");
        VaOperator = P(Va, "Lee Park");
        BankContact = P(Bank, "Morgan Ellis");
        BankSteward = P(Bank, "Riley Chen");
        Outsider = P(Bank, "Chris Doe");
        Research.PointOfContactId = Coordinator.Id; Research.PointOfContact = Coordinator;
        Va.PointOfContactId = VaContact.Id; Va.PointOfContact = VaContact;
        Bank.PointOfContactId = BankContact.Id; Bank.PointOfContact = BankContact;

        Study = StudyLifecycle.Create("Veterans' financial well-being", "test", Coordinator, T0);
        var c = Actor.Of(Coordinator);
        StudyLifecycle.AddMember(Study, c, Analyst, StudyRole.Analyst, T0);
        StudyLifecycle.AddMember(Study, c, ResearchOperator, StudyRole.ComputeOperator, T0);
        StudyLifecycle.AddMember(Study, c, VaOperator, StudyRole.ComputeOperator, T0);
        StudyLifecycle.AddMember(Study, c, VaSteward, StudyRole.DataSteward, T0);
        StudyLifecycle.AddMember(Study, c, BankSteward, StudyRole.DataSteward, T0);
        Veterans = StudyLifecycle.AddDataset(Study, c, "veterans", Va, T0);
        BankData = StudyLifecycle.AddDataset(Study, c, "bank", Bank, T0);
    }

    public DateTime Day(int n) => T0.AddDays(n);

    public static Actor A(Person p) => Actor.Of(p);

    public static DataUseTerms Terms(string dataset) => RegistrySeeder.Terms(dataset);

    /// <summary>Terms documented, commitments recorded, both approved: the study is Approved at day 4.</summary>
    public World ToApproved()
    {
        StudyLifecycle.DocumentTerms(Study, A(VaSteward), Veterans, Terms("veterans"), Day(1));
        StudyLifecycle.DocumentTerms(Study, A(BankSteward), BankData, Terms("bank"), Day(1));
        StudyLifecycle.Advance(Study, A(Coordinator), Day(2));
        foreach (var (org, poc) in new[] { (Research, Coordinator), (Va, VaContact), (Bank, BankContact) })
            StudyLifecycle.RecordCommitment(Study, A(poc), org, "partner", "its part", null, Day(2));
        StudyLifecycle.Advance(Study, A(Coordinator), Day(3));
        StudyLifecycle.ApproveTerms(Study, A(VaSteward), Veterans, Veterans.CurrentTerms!.Hash, Day(3));
        StudyLifecycle.ApproveTerms(Study, A(BankSteward), BankData, BankData.CurrentTerms!.Hash, Day(3));
        StudyLifecycle.Advance(Study, A(Coordinator), Day(4));
        return this;
    }

    static Person P(Organisation org, string name)
    {
        var p = new Person { Name = name, Email = name.ToLowerInvariant().Replace(' ', '.') + "@" + org.Slug + ".example", OrganisationId = org.Id, Organisation = org };
        org.People.Add(p);
        return p;
    }
}
