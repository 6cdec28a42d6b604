using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>
/// The study's two pseudonymisers. Keyed hash: one fresh 256-bit key per study, generated when the study opens and
/// held by the contributors' side only (never passed to the engine). OPRF: fresh key shares per study, one per compute
/// party, evaluated by the parties themselves (<see cref="ClusterOprfService"/> over their links); each contributor
/// is granted one evaluation per row and key it prepares.
/// </summary>
internal sealed class StudyPseudonymisers(IComputeEngine engine)
{
    readonly KeyedHashPseudonymiser _keyedHash = new(KeyedHashPseudonymiser.NewKey());
    readonly Lazy<FuzzyEncoding> _fuzzy = new(() => new FuzzyEncoding(KeyedHashPseudonymiser.NewKey(), new KeyedHashPseudonymiser(KeyedHashPseudonymiser.NewKey())));
    readonly Lock _gate = new();
    OprfService? _oprf;

    /// <summary>The pseudonymiser <paramref name="contributor"/> uses to prepare <paramref name="keys"/> keys of its rows.</summary>
    public IPseudonymiser For(PseudonymiserKind kind, ILinkSource contributor, int keys)
    {
        if (kind == PseudonymiserKind.KeyedHash) return _keyedHash;
        var service = Oprf();
        service.Allow(contributor.Dataset, (long)contributor.RowCount * keys);
        return new OprfPseudonymiser(service, contributor.Dataset);
    }

    /// <summary>The contributors' fuzzy encoding: a Bloom filter key and a blocking-key hash key of their own, fresh per study
    /// and held on the contributors' side only, as the keyed hash's key is.</summary>
    public FuzzyEncoding Fuzzy() => _fuzzy.Value;

    /// <summary>The scheme a kind produces (pseudonyms of different schemes never match).</summary>
    public string Scheme(PseudonymiserKind kind) => kind == PseudonymiserKind.KeyedHash ? _keyedHash.Scheme : OprfPseudonymiser.SchemeName;

    OprfService Oprf()
    {
        lock (_gate)
            return _oprf ??= engine switch
            {
                SecureEngine secure => new ClusterOprfService(secure.Cluster, OprfKeyShare.GenerateForParties()),
                PlaintextEngine => new InProcessOprfService(OprfKeyShare.GenerateForParties()),
                _ => throw new QueryException($"The OPRF pseudonymiser needs the compute parties to evaluate it over their own links; " +
                                              $"the {engine.Name} engine does not offer that. Use --pseudonymiser keyed-hash."),
            };
    }
}
