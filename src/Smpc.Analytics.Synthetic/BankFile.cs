using Smpc.Analytics.Columnar;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Synthetic;

/// <summary>
/// The bank-like customer file: SSN from a numeric field (nine digits; leading zeros lost in part of the
/// legacy records), names as the customer gave them (diacritics kept, suffix appended to the surname in
/// several styles), dates as MM/dd/yyyy, and monthly account figures. The bank does not record sex.
/// </summary>
internal static class BankFile
{
    public const string Name = "bank";

    public static readonly IReadOnlyList<string> Header =
    [
        "customer_id", "ssn", "first_name", "last_name", "dob", "state", "monthly_deposits", "balance", "delinquent",
        .. BankModel.SpendCategories.Select(c => "spend_" + c),
    ];

    static readonly string[] AnalysisColumns = ["state", "monthly_deposits", "balance", "delinquent", .. BankModel.SpendCategories.Select(c => "spend_" + c)];

    public static TableSchema Schema() => new()
    {
        Name = Name,
        Description = "Bank-like customer file (synthetic): monthly deposits, end-of-month balance, delinquency and card/debit spending by category, averaged over the last 12 months. One row per customer record; a customer may have two records.",
        Identifiers =
        [
            new IdentifierSpec { Name = "customer_id", Kind = IdentifierKind.RecordId, Format = "C + 9 digits" },
            new IdentifierSpec { Name = "ssn", Kind = IdentifierKind.Ssn, Format = "nine digits without separators; leading zeros dropped in some legacy records; a few ddd-dd-dddd", Nullable = true },
            new IdentifierSpec { Name = "first_name", Kind = IdentifierKind.FirstName, Format = "as given by the customer (mixed case, diacritics kept)" },
            new IdentifierSpec { Name = "last_name", Kind = IdentifierKind.LastName, Format = "as given; a generational suffix appended as ' Jr', ' Jr.', ', Jr.', ' III' …" },
            new IdentifierSpec { Name = "dob", Kind = IdentifierKind.DateOfBirth, Format = "MM/dd/yyyy", Nullable = true },
        ],
        Columns =
        [
            new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = States.Codes, Description = "State of the customer's mailing address (USPS code)." },
            new ColumnSpec { Name = "monthly_deposits", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 200_000, Description = "Average monthly deposits in USD." },
            new ColumnSpec { Name = "balance", Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = -5_000, Max = 10_000_000, Description = "Average end-of-month balance across deposit accounts in USD (negative: overdrawn)." },
            new ColumnSpec { Name = "delinquent", Kind = ColumnKind.Boolean, Description = "Any credit payment 30+ days past due in the last 12 months." },
            .. BankModel.SpendCategories.Select(c => new ColumnSpec
            {
                Name = "spend_" + c, Kind = ColumnKind.FixedPoint, FractionBits = 8, Min = 0, Max = 200_000,
                Description = $"Average monthly card and debit spending on {c} in USD.",
            }),
        ],
    };

    public static DataUseTerms Terms() => new()
    {
        Dataset = Name,
        Steward = "Retail bank data governance office (synthetic stand-in for a commercial bank)",
        Purpose = "Aggregate statistics on customers' deposits, balances, delinquency and spending, linked to public-agency records, for the veterans' financial well-being study only.",
        Redisclosure = new RedisclosureTerms
        {
            InternalUseOnly = true,
            RedisclosureTo = [],
            Conditions = "Released aggregates stay inside the named study team; no redisclosure to other agencies, contractors or the public without the bank's written approval. Schema and metadata may be shared with the compute parties; no synthetic derivatives.",
        },
        Access = AccessLevel.Aggregates,
        AllowedAnalysts = ["study-analyst"],
        StorageLocation = "United States; shares only; no copy outside the three compute parties",
        MinCellSize = 20,
        DominanceP = 10,
        RoundingBase = 5,
        AllowedOperations = ["count", "sum", "mean", "variance", "histogram", "groupby", "crosstab", "correlation", "ols", "join"],
        AllowedColumns = AnalysisColumns.Where(c => c != "spend_health").ToArray(),
        LinkageColumns = ["ssn", "first_name", "last_name", "dob"],
        AllowRevealGroupSizes = false,
        Expires = new DateOnly(2027, 12, 31),
    };

    static readonly Weighted<string> SuffixStyle = new([(" {0}", 0.5), (" {0}.", 0.3), (", {0}.", 0.2)]);

    /// <summary>The record's fields, the customer's values and the state the record carries (the customer's, unless moved).</summary>
    public static (string[] Fields, BankValues Values, string State) Render(Person p, string recordId, IdentifierNoise noise, ulong seed, Prng rng)
    {
        var v = BankModel.For(p, seed);
        string ssn = noise.Ssn(p.Ssn);
        string first = noise.First(p.First), last = noise.Last(p);
        if (noise.Suffix(p) is { } suffix)
        {
            string style = SuffixStyle.Pick(rng);
            last += suffix is "JR" or "SR"
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, style, suffix[..1] + "r")      // " Jr", " Jr.", ", Sr."
                : (style.StartsWith(',') ? ", " : " ") + suffix;                                                  // " III", ", IV"
        }
        (first, last) = noise.Whitespace(first, last);
        var (dob, _) = noise.Dob(p.Dob, "MM/dd/yyyy");
        if (noise.NameOrderSwapped()) (first, last) = (last, first);
        string state = noise.State(v.State, p.State);
        return ([
            recordId, ssn, first, last, dob, state, Formats.Money(v.DepositsCents), Formats.Money(v.BalanceCents), Formats.Bool(v.Delinquent),
            .. v.SpendCents.Select(Formats.Money),
        ], v, state);
    }
}
