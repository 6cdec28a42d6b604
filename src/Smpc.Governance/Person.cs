namespace Smpc.Governance;

/// <summary>A person with an account; belongs to exactly one organisation and acts only for it.</summary>
public sealed class Person
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    public required string Email { get; set; }

    public Guid OrganisationId { get; set; }

    public Organisation Organisation { get; set; } = null!;

    /// <summary>A deactivated person keeps their history but can act no more.</summary>
    public bool Active { get; set; } = true;

    public override string ToString() => Name;
}
