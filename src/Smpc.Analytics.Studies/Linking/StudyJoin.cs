using Smpc.Analytics.Engine;
using System.Diagnostics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

/// <summary>
/// Runs a <see cref="JoinRequest"/>: every contributor prepares pseudonym columns for the passes' keys with the chosen
/// pseudonymiser (normalise, build keys, pseudonymise, share — identifiers never leave the contributor), then the
/// compute parties link the tables with <see cref="SecureJoin.Run"/> (shuffle, open pseudonyms to the parties only,
/// match, gather; payloads stay shared). The joined table keeps every column's origin, so each stays under its
/// steward's terms. Leakage: LEAKAGE.md, "Linkage" and "Notebook and study layer".
/// </summary>
internal static class StudyJoin
{
    public static (StudyDataset Dataset, JoinRelease Release) Run(SecureStudy study, JoinRequest request, StudyPseudonymisers pseudonymisers, int sequence)
    {
        var datasets = Validate(study, request);
        var contributors = datasets.Select(d => d.LinkSource!).ToArray();
        var passes = request.Passes.Select(p => Resolve(p, contributors)).ToArray();
        if (passes.Distinct().Count() != passes.Length)
            throw new QueryException($"The passes {string.Join(", ", request.Passes.Select(p => p.Name()))} use the same key twice ({string.Join(", ", passes.Select(p => p.Name()))}); a later pass on the same key links nothing new.");
        bool fuzzy = CheckFuzzy(request, passes);
        var exact = passes.Where(p => p != LinkageKeyKind.Fuzzy).ToArray();
        var keys = contributors.Select(c => exact.Select(p => LinkageKeyKinds.Key(p, c.Schema)).ToArray()).ToArray();   // per dataset: its own column names
        var engine = study.Engine;
        string scheme = pseudonymisers.Scheme(request.Pseudonymiser);
        if (fuzzy) foreach (var c in contributors) c.CheckFuzzy(scheme);      // every dataset can take part before any prepares

        var meter = new OperationMeter(engine);
        var clock = Stopwatch.StartNew();
        var inputs = new JoinInput[datasets.Length];
        for (int t = 0; t < datasets.Length; t++)
        {
            var c = contributors[t];
            var pseudonyms = c.SharePseudonyms(engine, keys[t], scheme, n => pseudonymisers.For(request.Pseudonymiser, c, n));
            IReadOnlyList<SecretColumn> encoding = fuzzy ? c.ShareFuzzy(engine, scheme, pseudonymisers.Fuzzy) : [];
            var table = new SecretTable(datasets[t].Name, engine, [.. datasets[t].Table.Columns, .. pseudonyms, .. encoding]);
            inputs[t] = new JoinInput(table, request.Duplicates, c.Terms.LinkageRules());
        }
        var linkagePasses = exact.Select((p, i) => LinkagePass.On(keys[0][i], p.Name()) with
        {
            SourcesByTable = datasets.Select((d, t) => (d.Name, keys[t][i].Sources)).ToDictionary(x => x.Name, x => x.Sources, StringComparer.Ordinal),
        }).ToList();
        if (fuzzy) linkagePasses.Add(FuzzyPass(request, contributors, inputs));
        if (datasets.Length > 2) inputs[0] = inputs[0] with { Table = inputs[0].Table.With(contributors[0].ShareRowTags(engine, PairwiseStarJoin.TagColumn)) };
        var preparation = clock.Elapsed;
        var result = datasets.Length == 2
            ? SecureJoin.Run(inputs, new JoinOptions { Kind = request.Kind, Passes = [.. linkagePasses], ResultName = request.ResultName })
            : PairwiseStarJoin.Run(inputs, request.Kind, [.. linkagePasses], request.ResultName);
        var cost = OperationCost.From(meter, datasets.Sum(d => (long)d.RowCount));

        var origins = Origins(datasets, result.Table);
        var dataset = new StudyDataset(request.ResultName, result.Table, datasets.SelectMany(d => d.Origins).Distinct().ToArray(),
            $"{string.Join(" ⋈ ", datasets.Select(d => d.Name))} ({request.Kind.ToString().ToLowerInvariant()} join on {string.Join(", then ", passes.Select(p => p.Name()))}; {scheme})",
            origins, [], contributor: null) { ReleasedRows = (int?)result.ReleasedRows };
        var release = new JoinRelease
        {
            Sequence = sequence,
            At = DateTimeOffset.UtcNow,
            Cost = cost,
            Request = request,
            Dataset = dataset.Name,
            InputRows = datasets.Select(d => d.RowCount).ToArray(),
            Passes = passes,
            Scheme = scheme,
            JoinedRows = (int?)result.ReleasedRows,
            RoundingBase = result.RoundingBase,
            MatchCounts = result.MatchCounts,
            Columns = result.Table.Columns.Select(c => c.Name).ToArray(),
            Preparation = preparation,
        };
        return (dataset, release);
    }

    /// <summary>Whether the join has a fuzzy pass; refuses one that is not the last pass, a second one, and a threshold
    /// out of range or without a fuzzy pass.</summary>
    internal static bool CheckFuzzy(JoinRequest request, IReadOnlyList<LinkageKeyKind> passes)
    {
        int count = passes.Count(p => p == LinkageKeyKind.Fuzzy);
        if (count == 0)
        {
            if (request.FuzzyThreshold is { } t) throw new QueryException($"A threshold ({t}) applies to a fuzzy pass only; add 'fuzzy' to the passes (e.g. ssn,demographic,fuzzy).");
            return false;
        }
        if (count > 1 || passes[^1] != LinkageKeyKind.Fuzzy)
            throw new QueryException($"The fuzzy pass links what the exact passes left: give it once, last (e.g. ssn,demographic,fuzzy); got {string.Join(",", passes.Select(p => p.Name()))}.");
        if (request.FuzzyThreshold is { } th && !(th > 0 && th <= 1))
            throw new QueryException($"The fuzzy threshold is a Dice coefficient above 0 and at most 1 (e.g. 0.85); got {th}.");
        return true;
    }

    /// <summary>The fuzzy pass over the inputs' encodings: the same filter length in every dataset, each dataset's own
    /// identifier columns named for its terms check.</summary>
    static LinkagePass FuzzyPass(JoinRequest request, IReadOnlyList<ILinkSource> contributors, JoinInput[] inputs)
    {
        var encodings = inputs.Select(i => Linkage.Bloom.FuzzyColumns.EncodingOf(i.Table.Columns.Select(c => c.Spec))).ToArray();
        if (encodings.Distinct().Count() > 1)
            throw new QueryException($"The datasets' fuzzy encodings differ ({string.Join("; ", inputs.Select((i, t) => $"'{i.Table.Name}': {encodings[t]}"))}); " +
                                     "every contributor of a study declares the same encoding (fields, weights, length), or their filters do not compare.");
        int bits = Linkage.Bloom.FuzzyColumns.BitsOf(inputs[0].Table.Columns.Select(c => c.Name));
        var sources = contributors.ToDictionary(c => c.Dataset,
            c => Linkage.Bloom.FuzzyPreparation.Sources(c.Schema, LinkageKeyKinds.FuzzyEncoding(c.Schema)), StringComparer.Ordinal);
        return LinkagePass.OnFuzzy(request.FuzzyThreshold ?? JoinRequest.DefaultFuzzyThreshold, bits, sources[contributors[0].Dataset], LinkageKeyKind.Fuzzy.Name())
            with { SourcesByTable = sources };
    }

    internal static StudyDataset[] Validate(SecureStudy study, JoinRequest request)
    {
        if (request.Datasets.Count < 2)
            throw new QueryException($"A join needs at least two datasets; got {request.Datasets.Count} ({string.Join(", ", request.Datasets)}).");
        foreach (var dup in request.Datasets.GroupBy(d => d).Where(g => g.Count() > 1))
            throw new QueryException($"Dataset '{dup.Key}' is listed twice; a join needs distinct datasets.");
        if (request.Passes.Count == 0) throw new QueryException("A join needs at least one linkage pass (e.g. ssn).");
        if (study.Has(request.ResultName))
            throw new QueryException($"Study '{study.Name}' already has a dataset '{request.ResultName}'; choose another name for the join.");
        var datasets = request.Datasets.Select(study.Dataset).ToArray();
        foreach (var d in datasets.Where(d => !d.IsContributed))
            throw new QueryException($"'{d.Name}' is the result of a join and carries no pseudonyms to link on. Link the contributed datasets in one join instead " +
                                     $"(e.g. datasets {string.Join(",", d.Origins.Select(o => o.Dataset))} and the other one).");
        return datasets;
    }

    /// <summary>'demographic' becomes name + date of birth + sex when every dataset records sex and its terms allow
    /// linkage on it, else name + date of birth.</summary>
    static LinkageKeyKind Resolve(LinkageKeyKind kind, IReadOnlyList<ILinkSource> contributors) =>
        kind != LinkageKeyKind.Demographic ? kind
        : contributors.All(c => LinkageKeyKinds.SexColumn(c.Schema) is { } sex && c.Terms.LinkageColumns.Contains(sex)) ? LinkageKeyKind.NameDateOfBirthSex
        : LinkageKeyKind.NameDateOfBirth;

    /// <summary>Each joined column's origin, following the join's naming: base columns keep their names; a later
    /// table's column is renamed "&lt;dataset&gt;.&lt;column&gt;" when the name is taken (Linkage/Join/JoinLayout.cs).</summary>
    static Dictionary<string, ColumnOrigin> Origins(StudyDataset[] inputs, SecretTable joined)
    {
        var origins = new Dictionary<string, ColumnOrigin>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in inputs)
            foreach (var c in d.Table.Columns)
            {
                var name = taken.Contains(c.Name) ? $"{d.Name}.{c.Name}" : c.Name;
                taken.Add(name);
                if (d.Columns.TryGetValue(c.Name, out var o) && joined.Has(name)) origins[name] = o;
            }
        return origins;
    }
}
