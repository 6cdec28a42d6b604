namespace Smpc.Governance;

/// <summary>Who is acting: a person of one organisation; <see cref="IsAdmin"/> for the registry's administrators, who
/// manage organisations and accounts but hold no study role by that alone.</summary>
public sealed record Actor(Guid PersonId, Guid OrganisationId, bool IsAdmin = false)
{
    public static Actor Of(Person person, bool isAdmin = false) => new(person.Id, person.OrganisationId, isAdmin);
}
