using System.Security.Cryptography;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Study;

namespace Smpc.Analytics.Interactive.Demo;

/// <summary>
/// The demo's data stewards: turn the plaintext records into tables matching the study schemas, with the SSN
/// replaced by a keyed-hash pseudonym (HMAC-SHA256 under a key the contributors share, first 8 bytes), and
/// state the data-use terms of each dataset. The compute parties never see the key or an SSN.
/// </summary>
public static class DemoContributors
{
    public static TableSchema VeteransSchema { get; } = new()
    {
        Name = "veterans",
        Description = "VA-like veterans: benefits and health-care enrolment (demo, synthetic)",
        Columns =
        [
            new ColumnSpec { Name = "ssn", Kind = ColumnKind.Pseudonym, Nullable = true, Description = "keyed-hash pseudonym of the SSN" },
            new ColumnSpec { Name = "sex", Kind = ColumnKind.Categorical, Domain = DemoData.Sexes },
            new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = DemoData.States },
            new ColumnSpec { Name = "era", Kind = ColumnKind.Categorical, Domain = DemoData.Eras, Description = "service era" },
            new ColumnSpec { Name = "disability_rating", Kind = ColumnKind.Integer, Min = 0, Max = 100 },
            new ColumnSpec { Name = "monthly_benefit", Kind = ColumnKind.FixedPoint, Min = 0, Max = 10_000, Description = "USD per month" },
            new ColumnSpec { Name = "health_care", Kind = ColumnKind.Boolean, Description = "enrolled in VA health care" },
        ],
    };

    public static TableSchema BankSchema { get; } = new()
    {
        Name = "bank",
        Description = "Bank-like customers: balances, deposits and delinquency (demo, synthetic)",
        Columns =
        [
            new ColumnSpec { Name = "ssn", Kind = ColumnKind.Pseudonym, Nullable = true, Description = "keyed-hash pseudonym of the SSN" },
            new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = DemoData.States },
            new ColumnSpec { Name = "balance", Kind = ColumnKind.FixedPoint, Min = -10_000, Max = 1_000_000, Description = "USD" },
            new ColumnSpec { Name = "monthly_deposits", Kind = ColumnKind.FixedPoint, Min = 0, Max = 100_000, Description = "USD per month" },
            new ColumnSpec { Name = "delinquent", Kind = ColumnKind.Boolean },
        ],
    };

    public static DataUseTerms Terms(string dataset, string steward) => new()
    {
        Dataset = dataset,
        Steward = steward,
        Purpose = "Teaching and demonstration of secure statistics over linked agency data (synthetic data).",
        Redisclosure = new RedisclosureTerms { InternalUseOnly = true },
        Access = AccessLevel.Aggregates,
        MinCellSize = 11,
        AllowedOperations = ["count", "sum", "mean", "histogram", "quantile", "ols", "groupby", "crosstab", "join"],
        LinkageColumns = ["ssn"],
    };

    /// <summary>Pseudonymises an SSN: digits only, HMAC-SHA256 under the contributors' key, first 8 bytes.</summary>
    public static ulong? Pseudonym(string? ssn, byte[] key)
    {
        if (ssn is null) return null;
        var digits = new string(ssn.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != 9) return null;
        var mac = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(digits));
        ulong p = BitConverter.ToUInt64(mac, 0);
        return p == 0 ? 1 : p;   // 0 is reserved for "missing" after sharing
    }

    public static PlainTable Veterans(DemoData data, byte[] key)
    {
        var v = data.Veterans;
        return new PlainTable("veterans")
            .Add("ssn", v.Select(r => (object?)Pseudonym(r.Ssn, key)).ToArray())
            .Add("sex", v.Select(r => r.Sex).ToArray())
            .Add("state", v.Select(r => r.State).ToArray())
            .Add("era", v.Select(r => r.Era).ToArray())
            .Add("disability_rating", v.Select(r => (long)r.DisabilityRating).ToArray())
            .Add("monthly_benefit", v.Select(r => r.MonthlyBenefit).ToArray())
            .Add("health_care", v.Select(r => r.HealthCare).ToArray());
    }

    public static PlainTable Bank(DemoData data, byte[] key)
    {
        var b = data.Bank;
        return new PlainTable("bank")
            .Add("ssn", b.Select(r => (object?)Pseudonym(r.Ssn, key)).ToArray())
            .Add("state", b.Select(r => r.State).ToArray())
            .Add("balance", b.Select(r => r.Balance).ToArray())
            .Add("monthly_deposits", b.Select(r => r.MonthlyDeposits).ToArray())
            .Add("delinquent", b.Select(r => r.Delinquent).ToArray());
    }
}
