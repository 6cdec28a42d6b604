namespace Smpc.Analytics.Linkage;

/// <summary>
/// What to do when a table has several rows with the same pseudonym in one linkage pass. Duplicates are never
/// silently multiplied into several joined rows.
/// </summary>
public enum DuplicatePolicy
{
    /// <summary>Stop with an error naming the table, pass and number of duplicated keys.</summary>
    Reject,
    /// <summary>Keep the row that came first in the contributor's table (lowest original row number); the others
    /// leave the join. The choice is made obliviously: compute parties do not learn which row was kept.</summary>
    KeepFirst,
}
