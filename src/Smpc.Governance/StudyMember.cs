namespace Smpc.Governance;

/// <summary>One role of one person in one study (a person may hold several roles in a study).</summary>
public sealed class StudyMember
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid StudyId { get; set; }

    public Guid PersonId { get; set; }

    public Person Person { get; set; } = null!;

    public StudyRole Role { get; set; }

    public DateTime AddedAt { get; set; }
}
