namespace Smpc.Governance;

/// <summary>Something waiting on one person: what, in which study, since when.</summary>
public sealed record ActionItem(Guid StudyId, string StudyTitle, string Kind, string Text, DateTime Since)
{
    /// <summary>How long it has waited at <paramref name="now"/>.</summary>
    public TimeSpan Waited(DateTime now) => now - Since;
}
