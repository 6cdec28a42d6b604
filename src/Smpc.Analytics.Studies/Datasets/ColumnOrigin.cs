using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>Where a column of a study dataset came from: the contributed dataset, its name there, and the data-use
/// terms that govern it. A join keeps the origin of every column, so each column stays under its steward's terms.</summary>
public sealed record ColumnOrigin(string Dataset, string Column, DataUseTerms Terms);
