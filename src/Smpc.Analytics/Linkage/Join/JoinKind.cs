namespace Smpc.Analytics.Linkage;

/// <summary>Which rows a join keeps.</summary>
public enum JoinKind
{
    /// <summary>Only rows of the first (base) table linked to every other table.</summary>
    Inner,
    /// <summary>Every row of the base table, with a 0/1 "matched" column per other table; other tables' columns are nullable,
    /// missing (presence 0, value 0) where a row did not link, so statistics over them use the linked rows only.</summary>
    Left,
}
