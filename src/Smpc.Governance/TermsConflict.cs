namespace Smpc.Governance;

/// <summary>One way a study's plan or partners go beyond a dataset's terms, with the clause (the terms field, by its
/// JSON path) it conflicts with. <see cref="Kind"/>: audience, partner, operation, synthetic, access, expiry.</summary>
public sealed record TermsConflict(Guid DatasetId, string Dataset, int TermsVersion, string Kind, string Clause, string Text)
{
    public override string ToString() => $"terms v{TermsVersion} of '{Dataset}' ({Clause}): {Text}";
}
