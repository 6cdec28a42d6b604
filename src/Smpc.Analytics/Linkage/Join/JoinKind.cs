namespace Smpc.Analytics.Linkage;

/// <summary>Which rows a join keeps.</summary>
public enum JoinKind
{
    /// <summary>Only rows of the first (base) table linked to every other table.</summary>
    Inner,
    /// <summary>Every row of the base table; other tables' columns are zero where a row did not link, with a 0/1 "matched" column per other table.</summary>
    Left,
}
