namespace Smpc.Governance;

/// <summary>An agency, company or institute whose people take part in studies. Each names one empowered point of
/// contact: the person who records the organisation's commitment to a study.</summary>
public sealed class Organisation
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>Short unique name used in URLs and messages (e.g. <c>bank</c>).</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary>The empowered point of contact (a person of this organisation); null until one is named.</summary>
    public Guid? PointOfContactId { get; set; }

    public Person? PointOfContact { get; set; }

    public List<Person> People { get; set; } = [];

    public override string ToString() => Name;
}
