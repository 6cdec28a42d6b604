using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Synthetic;

/// <summary>
/// The NCSES-like graduate survey: respondent-typed identifiers (SSN optional and in any layout, names in
/// whatever case, suffixes mostly left out, birth date as yyyyMMdd), degree, field, employment sector,
/// salary and the survey's design weight.
/// </summary>
internal static class SurveyFile
{
    public const string Name = "survey";

    public static readonly IReadOnlyList<string> Header =
    [
        "respondent_id", "ssn", "first_name", "last_name", "dob", "sex", "state", "age", "veteran",
        "highest_degree", "degree_field", "employment_sector", "salary", "survey_weight",
    ];

    public static TableSchema Schema() => new()
    {
        Name = Name,
        Description = "NCSES-like survey of college graduates (synthetic): degree, field of degree, employment sector, annual salary and design weight. One row per questionnaire; a few respondents answered twice.",
        Identifiers =
        [
            new IdentifierSpec { Name = "respondent_id", Kind = IdentifierKind.RecordId, Format = "R + 8 digits" },
            new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn, Format = "optional; as typed: ddd-dd-dddd, ddd dd dddd or nine digits", Nullable = true },
            new IdentifierSpec { Name = "first_name", Kind = IdentifierKind.FirstName, Format = "as typed (any case; diacritics sometimes)" },
            new IdentifierSpec { Name = "last_name", Kind = IdentifierKind.LastName, Format = "as typed; a suffix, when given, appended" },
            new IdentifierSpec { Name = "dob", Kind = IdentifierKind.DateOfBirth, Format = "yyyyMMdd", Nullable = true },
        ],
        Columns =
        [
            new ColumnSpec { Name = "sex", Kind = ColumnKind.Categorical, Domain = ["F", "M"] },
            new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = States.Codes, Description = "State of residence (USPS code)." },
            new ColumnSpec { Name = "age", Kind = ColumnKind.Integer, Min = 18, Max = 100, Nullable = true, Description = "Age on 2026-01-01 from the reported birth date; empty when no birth date was given." },
            new ColumnSpec { Name = "veteran", Kind = ColumnKind.Boolean, Description = "Self-reported: ever served on active duty in the U.S. Armed Forces." },
            new ColumnSpec { Name = "highest_degree", Kind = ColumnKind.Categorical, Domain = SurveyModel.Degrees },
            new ColumnSpec { Name = "degree_field", Kind = ColumnKind.Categorical, Domain = SurveyModel.Fields, Description = "Major field of the highest degree (NSCG broad groups)." },
            new ColumnSpec { Name = "employment_sector", Kind = ColumnKind.Categorical, Domain = SurveyModel.Sectors },
            new ColumnSpec { Name = "salary", Kind = ColumnKind.Integer, Min = 0, Max = 1_000_000, Nullable = true, Description = "Annual salary of the principal job in USD; empty when not employed." },
            new ColumnSpec { Name = "survey_weight", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 1, Max = 5_000, Description = "Final design weight (sampling stratum × non-response adjustment)." },
        ],
    };

    public static DataUseTerms Terms() => new()
    {
        Dataset = Name,
        Steward = "Graduate survey statistical agency (synthetic stand-in for NCSES)",
        Purpose = "Statistical purposes only (CIPSEA): weighted estimates of graduates' earnings and employment, linked to benefit and bank records for the veterans' financial well-being study.",
        Redisclosure = new RedisclosureTerms
        {
            InternalUseOnly = false,
            RedisclosureTo = ["study team", "public, after the agency's disclosure review board"],
            Conditions = "Only estimates cleared by the disclosure review board may be published; counts are rounded to a multiple of 10.",
        },
        Access = AccessLevel.Synthetic,
        AllowedAnalysts = ["study-analyst", "ncses-analyst"],
        StorageLocation = "United States; shares only",
        MinCellSize = 11,
        RoundingBase = 10,
        AllowedOperations = ["count", "sum", "mean", "variance", "quantile", "histogram", "groupby", "crosstab", "correlation", "ols", "join"],
        AllowedColumns = ["sex", "state", "age", "veteran", "highest_degree", "degree_field", "employment_sector", "salary", "survey_weight"],
        LinkageColumns = ["ssn", "first_name", "last_name", "dob", "sex"],
        AllowRevealGroupSizes = true,
        Expires = new DateOnly(2028, 6, 30),
    };

    public static (string[] Fields, SurveyValues Values, int? Age) Render(Person p, string recordId, IdentifierNoise noise, ulong seed)
    {
        var v = SurveyModel.For(p, seed);
        string ssn = noise.Ssn(p.Ssn);
        string first = noise.First(p.First), last = noise.Last(p);
        if (noise.Suffix(p) is { } suffix) last += suffix is "JR" or "SR" ? " " + suffix[..1] + "r." : " " + suffix;
        var casing = noise.Case();
        (first, last) = noise.Whitespace(casing(first), casing(last));
        var (dob, dobValue) = noise.Dob(p.Dob, "yyyyMMdd");
        if (noise.NameOrderSwapped()) (first, last) = (last, first);
        string state = noise.State(v.State, p.State);
        int? age = dobValue is { } d ? Person.AgeOn(d, SyntheticOptions.ReferenceDate) : null;
        return ([
            recordId, ssn, first, last, dob, p.Sex, state, age is { } a ? Formats.Int(a) : "", Formats.Bool(v.Veteran),
            v.Degree, v.Field, v.Sector, v.Salary is { } s ? Formats.Int(s) : "", Formats.Money(v.WeightCents),
        ], v, age);
    }
}
