using System.Security.Cryptography;
using System.Text;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Session;
using Smpc.Analytics.Sharing;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    /// <summary>The links between the compute parties as measured when they started (party services), or in this process.</summary>
    public MeasuredLink Link
    {
        get
        {
            lock (_gate)
                return _link ??= Engine switch
                {
                    SecureEngine secure => secure.Cluster.Run(s => MeasuredLink.Measure(s, secure.Cluster.InMemory ? "in-process" : null))[0],
                    _ => MeasuredLink.None,
                };
        }
        internal set { lock (_gate) _link = value; }
    }

    MeasuredLink? _link;

    /// <summary>What <see cref="Aggregate"/> would do with <paramref name="request"/>, without doing it: whether the terms
    /// and rules let it run (else the rule that refuses it), the rules that would apply, what would be revealed to whom,
    /// its rounds and bytes and its expected time on the parties' links. Nothing is computed on the data, revealed or
    /// charged to a privacy budget (see <see cref="Explanation"/>).</summary>
    public Explanation Explain(AggregateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            ThrowIfDisposed();
            ConnectToParties();
            if (_connection is not null) return RemoteExplain(new PartyRequest { Op = PartyRequest.ExplainOp, Aggregate = request });
            return Estimate(request.Describe(), (shadow, engine) =>
            {
                var d = Dataset(request.Dataset);
                var plan = AggregatePlan.Check(d, request);
                foreach (var reservation in StudyPolicy.Authorize(d, plan, request, Analyst, Ledger, DateOnly.FromDateTime(DateTime.UtcNow)))
                    reservation.Cancel();                                // checked, not spent
                int rows = EstimateRows(d, out var assumption);
                var mirror = Mirror(engine, d, rows, Seed(request.Describe()), linkSource: null);
                var release = StudyAggregation.Run(shadow, mirror, request, _history.Count + 1);
                return (release.Cost, release.RulesApplied, assumption is null ? [] : [assumption]);
            });
        }
    }

    /// <summary>What <see cref="Join(JoinRequest)"/> would do with <paramref name="request"/>, without linking anything
    /// (see <see cref="Explain(AggregateRequest)"/>). The estimate assumes the first pass links half of the smallest
    /// dataset and each later pass a quarter of what is left (the bytes of a join grow with the rows it links; its rounds
    /// do not, as long as every pass links some).</summary>
    public Explanation Explain(JoinRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_history.OfType<JoinRelease>().LastOrDefault(j => j.Dataset == request.ResultName) is { } earlier && earlier.Request.SameAs(request))
                return new Explanation
                {
                    Operation = $"join {request.Describe()}", Rows = earlier.Cost.RowsUsed, Link = Link,
                    RulesApplied = ["asked before: the earlier join answers, nothing is linked or revealed again"],
                };
            ConnectToParties();
            if (_connection is not null)
            {
                if (_uploadsUseOprf && request.Pseudonymiser == PseudonymiserKind.KeyedHash) request = request with { Pseudonymiser = PseudonymiserKind.Oprf };   // as RemoteJoin
                return RemoteExplain(new PartyRequest { Op = PartyRequest.ExplainOp, Join = request });
            }
            return Estimate($"join {request.Describe()}", (shadow, engine) =>
            {
                var inputs = StudyJoin.Validate(this, request);
                var rows = inputs.Select(d => EstimateRows(d, out _)).ToArray();
                int smallest = rows.Min();
                var linked = request.Passes.Select((_, p) => smallest / (2 << (2 * p))).ToArray();   // 1/2, then 1/8, 1/32, … of the smallest
                int seed = Seed(request.Describe());
                for (int t = 0; t < inputs.Length; t++)
                {
                    var source = inputs[t].LinkSource is { } real ? new EstimateLinkSource(real, rows[t], linked, t, seed) : null;
                    shadow.Add(Mirror(engine, inputs[t], rows[t], seed + t, source));
                }
                var (_, release) = StudyJoin.Run(shadow, request, _pseudonymisers, _history.Count + 1);
                var terms = inputs.SelectMany(d => d.Origins).Distinct().ToArray();
                int k = terms.Max(t => t.MinCellSize), rounding = terms.Max(t => t.RoundingBase);
                string[] rules =
                [
                    $"linkage on {string.Join(", then ", release.Passes.Select(p => p.Name()))} ({release.Scheme}) under each dataset's terms",
                    $"joined row count released {(rounding > 1 ? $"rounded to a multiple of {rounding}" : "exactly")}, suppressed below {k} rows",
                ];
                return (release.Cost, rules, [$"the passes link {string.Join(", ", linked.Select(n => n.ToString("N0")))} rows of the smallest dataset's {smallest:N0} (half on the first pass, a quarter of the rest on each later one); each dataset has one key shared by two rows per pass (deduplication takes a level more for each doubling of the largest such group)"]);
            });
        }
    }

    Explanation RemoteExplain(PartyRequest request)
    {
        var explanation = _connection!.Call<Explanation>(request, out var cost);
        if (explanation.Refused || cost is null) return explanation;
        // The computation estimate is each party's own (its machine's speed) and comes with the cost; the rest is agreed.
        return explanation with
        {
            ComputationMilliseconds = cost.Elapsed.TotalMilliseconds,
            ExpectedMilliseconds = explanation.Link.Expected(explanation.Rounds, explanation.BytesPerParty, cost.Elapsed).TotalMilliseconds,
        };
    }

    /// <summary>Runs <paramref name="run"/> on a shadow study over an <see cref="EstimatingEngine"/>; a refusal by the
    /// terms or the request's checks becomes a refused explanation naming the rule.</summary>
    Explanation Estimate(string operation, Func<SecureStudy, EstimatingEngine, (OperationCost Cost, IReadOnlyList<string> Rules, IReadOnlyList<string> Assumptions)> run)
    {
        var engine = new EstimatingEngine(Seed(operation));
        using var shadow = new SecureStudy(Name, engine, Analyst) { Disclosure = Disclosure.Mirror(count => engine.Share(Enumerable.Repeat(1UL << 30, count.Length).ToArray())) };
        try
        {
            var (cost, rules, assumptions) = run(shadow, engine);
            var perParty = engine.Traffic.Max(t => t.BytesSent);
            var link = Link;
            return new Explanation
            {
                Operation = operation, RulesApplied = rules, Assumptions = assumptions, Rows = cost.RowsUsed,
                Reveals = [.. cost.Reveals.Select(r => new RevealWire(r.Audience, r.Purpose, r.Elements))],
                Rounds = cost.Rounds, Bytes = cost.Bytes, BytesPerParty = perParty, Link = link,
                ComputationMilliseconds = engine.Computation.TotalMilliseconds,
                ExpectedMilliseconds = link.Expected(cost.Rounds, perParty, engine.Computation).TotalMilliseconds,
            };
        }
        catch (Exception e) when (e is PolicyException or QueryException or SchemaException or LinkageException or RangeException
                                       or FilterSyntaxException or ShapeException)
        {
            return new Explanation { Operation = operation, Refused = true, Rule = PartyStudyHost.RuleOf(e), Refusal = e.Message, Link = Link };
        }
    }

    /// <summary>The row count an estimate may use: what was released of the dataset (a join's rounded size), never the
    /// exact count the parties hold, so that the estimate reveals no more than the release did.</summary>
    static int EstimateRows(StudyDataset d, out string? assumption)
    {
        assumption = null;
        if (d.ReleasedRows is { } n) return n;
        int k = d.Origins.Max(t => t.MinCellSize);
        assumption = $"'{d.Name}' has {k} rows (its size was suppressed: fewer than {k})";
        return k;
    }

    /// <summary>A stable seed for a request's stand-in values, so that the three parties estimate alike.</summary>
    static int Seed(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);

    /// <summary>The dataset's public shape with stand-in values on the estimating engine: the same columns, kinds, domains
    /// and bounds; categorical columns that the parties hold still coded are expanded (and charged) at first use.</summary>
    static StudyDataset Mirror(EstimatingEngine engine, StudyDataset d, int rows, int seed, ILinkSource? linkSource)
    {
        var rng = new Random(seed);
        var columns = d.Table.Columns.Select(c => MirrorColumn(engine, c, rows, rng)).ToArray();
        var table = new SecretTable(d.Name, engine, columns);
        var mirror = new StudyDataset(d.Name, table, d.Origins, d.Description, d.Columns, [], contributor: null)
        {
            ReleasedRows = d.ReleasedRows, IsCatalogued = d.IsCatalogued, LinkSource = linkSource,
        };
        return mirror;
    }

    static SecretColumn MirrorColumn(EstimatingEngine engine, SecretColumn c, int rows, Random rng)
    {
        var spec = c.Spec;
        var ones = Enumerable.Repeat(1UL, rows).ToArray();
        if (spec.Kind == ColumnKind.Categorical)
        {
            int levels = spec.Domain!.Count;
            var codes = Enumerable.Range(0, rows).Select(_ => rng.Next(levels)).ToArray();
            IReadOnlyList<SecretVector> OneHot() => [.. Enumerable.Range(0, levels).Select(k => engine.Share(codes.Select(x => x == k ? 1UL : 0UL).ToArray()))];
            if (c.IsExpansionPending && c.PendingStoredCode is not null)
            {
                int first = CategoryCode.First(spec);
                var stored = new StoredCode(new BooleanShare([.. codes.Select(k => (ulong)(k + first))], new ulong[rows]), first);
                return CategoryCode.Lazy(engine, spec, rows, () =>
                {
                    engine.ChargeExpansion(CategoryCode.Bits(spec), levels, first, rows);
                    return OneHot();
                }, stored);
            }
            return new SecretColumn(spec, null, OneHot(), spec.Nullable ? engine.Share(ones) : null);
        }
        double lo = spec.Min ?? 0, hi = spec.Max ?? (spec.Kind == ColumnKind.Boolean ? 1 : 1000);
        var values = new ulong[rows];
        for (int r = 0; r < rows; r++)
        {
            double x = lo + rng.NextDouble() * (hi - lo);
            values[r] = spec.Kind switch
            {
                ColumnKind.Boolean => (ulong)rng.Next(2),
                ColumnKind.FixedPoint => unchecked((ulong)(long)Math.Round(Math.ScaleB(x, spec.FractionBits))),
                ColumnKind.Pseudonym => (ulong)rng.NextInt64() >> 8,
                _ => unchecked((ulong)(long)Math.Round(x)),
            };
        }
        return new SecretColumn(spec, engine.Share(values), null, spec.Nullable ? engine.Share(ones) : null);
    }

    /// <summary>A contributed dataset's pseudonyms as stand-ins: the real source's checks (terms, scheme, prepared keys),
    /// then pseudonyms that link <c>linked[p]</c> rows of every dataset on pass p and nothing else.</summary>
    sealed class EstimateLinkSource(ILinkSource real, int rows, int[] linked, int index, int seed) : ILinkSource
    {
        public string Dataset => real.Dataset;
        public TableSchema Schema => real.Schema;
        public DataUseTerms Terms => real.Terms;
        public int RowCount => rows;

        public void CheckKeys(IReadOnlyList<LinkageKey> keys, string scheme) => real.CheckKeys(keys, scheme);

        public IReadOnlyList<SecretColumn> SharePseudonyms(IComputeEngine engine, IReadOnlyList<LinkageKey> keys, string scheme, Func<int, IPseudonymiser> pseudonymiser)
        {
            CheckKeys(keys, scheme);
            return [.. keys.Select((k, pass) =>
            {
                int from = linked.Take(pass).Sum(), to = from + (pass < linked.Length ? linked[pass] : 0);
                var values = new ulong[rows];
                for (int r = 0; r < rows; r++)
                    values[r] = r >= from && r < to ? (ulong)r + 1 : ((ulong)(index + 1) << 48) | ((ulong)(pass + 1) << 32) | (uint)r;
                if (rows - to >= 2) values[rows - 1] = values[rows - 2];     // one duplicated key per pass, as real keys have
                return new SecretColumn(new ColumnSpec { Name = k.Name, Kind = ColumnKind.Pseudonym }, engine.Share(values));
            })];
        }

        /// <summary>Stand-in fuzzy columns: the rows the fuzzy pass is assumed to link share one block and the same filter in
        /// every dataset (one candidate each, Dice 1); every other row blocks with nobody.</summary>
        public IReadOnlyList<SecretColumn> ShareFuzzy(IComputeEngine engine, string scheme, Func<FuzzyEncoding> encoding)
        {
            real.CheckFuzzy(scheme);
            int pass = linked.Length - 1, from = linked.Take(pass).Sum(), to = from + linked[pass];
            var spec = LinkageKeyKinds.FuzzyEncoding(Schema);
            int words = spec.Bits / Linkage.Bloom.FuzzyColumns.BitsPerWord;
            var columns = new List<SecretColumn>();
            for (int k = 0; k < words; k++)
                columns.Add(new SecretColumn(Linkage.Bloom.FuzzyColumns.WordSpec(k, spec),
                    engine.Share([.. Enumerable.Range(0, rows).Select(r => 0x0101_0101_0101_0101UL << ((k * 7 + r) % 5))])));
            for (int k = 0; k < Linkage.Bloom.FuzzyColumns.Blocks.Count; k++)
                columns.Add(new SecretColumn(Linkage.Bloom.FuzzyColumns.BlockSpec(k), engine.Share([.. Enumerable.Range(0, rows).Select(r =>
                    k == 0 && r >= from && r < to ? (ulong)r + 1 : ((ulong)(index + 1) << 48) | ((ulong)(k + 1) << 32) | (uint)r)])));
            return columns;
        }

        public void CheckFuzzy(string scheme) => real.CheckFuzzy(scheme);

        public SecretColumn ShareRowTags(IComputeEngine engine, string name)
        {
            var rng = new Random(seed + index);
            var tags = engine.SumOfPartyContributions(rows, _ => [.. Enumerable.Range(0, rows).Select(_ => (ulong)rng.NextInt64() >> 6)]);
            return new SecretColumn(PairwiseStarJoin.TagSpec(name), tags);
        }
    }
}
