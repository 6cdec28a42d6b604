using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Tests.Statistics;

/// <summary>Synthetic survey rows generated in the test (seeded), their schema, and permissive terms.</summary>
public sealed class SurveyData
{
    public static readonly string[] States = ["CA", "TX", "NY", "WA"];
    public static readonly string[] Sexes = ["F", "M"];

    public static readonly TableSchema Schema = new()
    {
        Name = "survey",
        Columns =
        [
            new ColumnSpec { Name = "age", Kind = ColumnKind.Integer, Min = 18, Max = 90 },
            new ColumnSpec { Name = "income", Kind = ColumnKind.FixedPoint, FractionBits = 4, Min = 0, Max = 100000 },
            new ColumnSpec { Name = "weight", Kind = ColumnKind.FixedPoint, FractionBits = 4, Min = 0.5, Max = 50 },
            new ColumnSpec { Name = "score", Kind = ColumnKind.Integer, Min = 0, Max = 100, Nullable = true },
            new ColumnSpec { Name = "state", Kind = ColumnKind.Categorical, Domain = States },
            new ColumnSpec { Name = "sex", Kind = ColumnKind.Categorical, Domain = Sexes },
            new ColumnSpec { Name = "note", Kind = ColumnKind.Pseudonym },
        ],
    };

    public long[] Age = [];
    public double[] Income = [];
    public double[] Weight = [];
    public long?[] Score = [];
    public string[] State = [];
    public string[] Sex = [];
    public int Rows => Age.Length;

    /// <summary>Rows whose values are exactly representable (income and weight on the 1/16 grid).</summary>
    public static SurveyData Generate(int rows, int seed, double[]? stateShares = null)
    {
        var rng = new Random(seed);
        stateShares ??= [0.4, 0.3, 0.2, 0.1];
        string PickState()
        {
            double u = rng.NextDouble(), acc = 0;
            for (int i = 0; i < States.Length; i++) { acc += stateShares[i]; if (u < acc) return States[i]; }
            return States[^1];
        }
        var d = new SurveyData
        {
            Age = new long[rows], Income = new double[rows], Weight = new double[rows], Score = new long?[rows],
            State = new string[rows], Sex = new string[rows],
        };
        for (int i = 0; i < rows; i++)
        {
            d.Age[i] = rng.Next(18, 91);
            d.Income[i] = Math.Round(Math.Min(100000, Math.Exp(rng.NextDouble() * 3 + 8) + d.Age[i] * 150) * 16) / 16;
            d.Weight[i] = Math.Round((0.5 + rng.NextDouble() * 20) * 16) / 16;
            d.Score[i] = rng.NextDouble() < 0.1 ? null : rng.Next(0, 101);
            d.State[i] = PickState();
            d.Sex[i] = rng.NextDouble() < 0.5 ? "F" : "M";
        }
        return d;
    }

    public PlainTable ToPlain() => new PlainTable("survey")
        .Add("age", Age).Add("income", Income).Add("weight", Weight).Add("score", Score)
        .Add("state", State).Add("sex", Sex).Add("note", Enumerable.Range(0, Rows).Select(i => (ulong)i * 7919).ToArray());

    public SecretTable Share(IComputeEngine engine) => ContributorEncoder.Share(engine, Schema, ToPlain());

    public static DataUseTerms Terms(int minCellSize = 0, Action<TermsBuilder>? more = null)
    {
        var b = new TermsBuilder { MinCellSize = minCellSize };
        more?.Invoke(b);
        return b.Build();
    }

    public static readonly string[] AllOperations =
        ["count", "sum", "mean", "variance", "quantile", "min", "max", "histogram", "groupby", "crosstab", "correlation", "ols"];
}

/// <summary>Mutable helper to vary terms in tests.</summary>
public sealed class TermsBuilder
{
    public int MinCellSize { get; set; }
    public double? DominanceP { get; set; }
    public int RoundingBase { get; set; } = 1;
    public double? EpsilonBudget { get; set; }
    public string[] Operations { get; set; } = SurveyData.AllOperations;
    public string[] Columns { get; set; } = [];
    public bool AllowRevealGroupSizes { get; set; }
    public DateOnly? Expires { get; set; }

    public DataUseTerms Build() => new()
    {
        Dataset = "survey", Steward = "test agency", Purpose = "tests", Redisclosure = new RedisclosureTerms(),
        MinCellSize = MinCellSize, DominanceP = DominanceP, RoundingBase = RoundingBase, EpsilonBudget = EpsilonBudget,
        AllowedOperations = Operations, AllowedColumns = Columns, AllowRevealGroupSizes = AllowRevealGroupSizes, Expires = Expires,
    };
}
