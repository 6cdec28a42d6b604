using System.Globalization;
using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Synthetic;

/// <summary>
/// The VA-like veterans' benefits file: one row per veteran record, as a benefits administration's extract
/// would hold it — SSN with dashes, names upper case without diacritics, suffix in its own column, ISO dates.
/// </summary>
internal static class VeteransFile
{
    public const string Name = "veterans";

    public static readonly IReadOnlyList<string> Header =
    [
        "va_id", "ssn", "first_name", "last_name", "name_suffix", "dob", "sex", "state", "age", "age_band",
        "service_era", "branch", "disability_rating", "disability_band", "monthly_benefit", "healthcare_enrolled",
    ];

    public static TableSchema Schema() => new()
    {
        Name = Name,
        Description = "VA-like veterans' benefits file (synthetic): veterans with their service era, service-connected disability rating, monthly compensation and health-care enrolment. One row per record; a veteran may have two records.",
        Identifiers =
        [
            new IdentifierSpec { Name = "va_id", Kind = IdentifierKind.RecordId, Format = "VA + 8 digits", Description = "Record number in the benefits system." },
            new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn, Format = "ddd-dd-dddd (a few without separators)", Nullable = true },
            new IdentifierSpec { Name = "first_name", Kind = IdentifierKind.FirstName, Format = "upper case, no diacritics" },
            new IdentifierSpec { Name = "last_name", Kind = IdentifierKind.LastName, Format = "upper case, no diacritics; hyphens, apostrophes and spaces kept" },
            new IdentifierSpec { Name = "name_suffix", Kind = IdentifierKind.NameSuffix, Format = "JR, SR, II, III, IV or empty", Nullable = true },
            new IdentifierSpec { Name = "dob", Kind = IdentifierKind.DateOfBirth, Format = "yyyy-MM-dd" },
        ],
        Columns =
        [
            new ColumnSpec { Name = "sex", Kind = ColumnKind.Categorical, Domain = ["F", "M"] },
            new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = States.Codes, Description = "State of residence (USPS code)." },
            new ColumnSpec { Name = "age", Kind = ColumnKind.Integer, Min = 17, Max = 110, Description = "Age in whole years on 2026-01-01." },
            new ColumnSpec { Name = "age_band", Kind = ColumnKind.Categorical, Domain = VeteranModel.AgeBands },
            new ColumnSpec { Name = "service_era", Kind = ColumnKind.Categorical, Domain = ServiceEras.Domain },
            new ColumnSpec { Name = "branch", Kind = ColumnKind.Categorical, Domain = VeteranModel.Branches },
            new ColumnSpec { Name = "disability_rating", Kind = ColumnKind.Integer, Min = 0, Max = 100, Nullable = true, Description = "Combined service-connected disability rating in percent (multiples of 10); empty when the veteran has no service-connected rating." },
            new ColumnSpec { Name = "disability_band", Kind = ColumnKind.Categorical, Domain = VeteranModel.DisabilityBands, Description = "Rating band: none (no rating), 0-20, 30-60, 70-100." },
            new ColumnSpec { Name = "monthly_benefit", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 6000, Description = "Monthly disability compensation in USD (0 without a rating)." },
            new ColumnSpec { Name = "healthcare_enrolled", Kind = ColumnKind.Boolean, Description = "Enrolled in VA health care." },
        ],
    };

    public static DataUseTerms Terms() => new()
    {
        Dataset = Name,
        Steward = "Veterans benefits administration (synthetic stand-in for VA)",
        Purpose = "Veterans' financial well-being study: link veterans' benefit records with bank and graduate-survey records to estimate how disability compensation relates to savings, delinquency and earnings, for programme evaluation that benefits veterans.",
        Redisclosure = new RedisclosureTerms
        {
            InternalUseOnly = false,
            RedisclosureTo = ["study team", "Western Institute for Veterans Research", "public, after disclosure review"],
            Conditions = "Published tables carry the study's disclosure review; no record-level data leaves the secure computation.",
        },
        Access = AccessLevel.Aggregates,
        AllowedAnalysts = ["study-analyst", "va-analyst"],
        StorageLocation = "United States; shares only, on the three compute parties' FedRAMP-moderate hosts",
        MinCellSize = 11,
        RoundingBase = 1,
        AllowedOperations = ["count", "sum", "mean", "variance", "quantile", "histogram", "groupby", "crosstab", "correlation", "ols", "join"],
        AllowedColumns = ["sex", "state", "age", "age_band", "service_era", "branch", "disability_rating", "disability_band", "monthly_benefit", "healthcare_enrolled"],
        LinkageColumns = ["ssn", "first_name", "last_name", "name_suffix", "dob", "sex"],
        AllowRevealGroupSizes = false,
        Expires = new DateOnly(2028, 9, 30),
    };

    /// <summary>The record's fields, the veteran's values and the state the record carries (the person's, unless moved).</summary>
    public static (string[] Fields, VeteranValues Values, string State) Render(Person p, string recordId, IdentifierNoise noise, ulong seed)
    {
        var v = VeteranModel.For(p, seed);
        string ssn = noise.Ssn(p.Ssn);
        string first = noise.First(p.First), last = noise.Last(p);
        string? suffix = noise.Suffix(p);
        (first, last) = noise.Whitespace(Names.StripDiacritics(first).ToUpperInvariant(), Names.StripDiacritics(last).ToUpperInvariant());
        var (dob, _) = noise.Dob(p.Dob, "yyyy-MM-dd");
        if (noise.NameOrderSwapped()) (first, last) = (last, first);
        string state = noise.State(p.State, p.State);
        var inv = CultureInfo.InvariantCulture;
        return ([
            recordId, ssn, first, last, suffix ?? "", dob, p.Sex, state, v.Age.ToString(inv), v.AgeBand,
            p.Era!.Value.Label(), v.Branch, v.Rating?.ToString(inv) ?? "", v.DisabilityBand, Formats.Money(v.BenefitCents), Formats.Bool(v.Enrolled),
        ], v, state);
    }
}
