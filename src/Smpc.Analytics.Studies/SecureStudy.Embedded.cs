using Smpc.Analytics.Linkage;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Studies.Parties;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    InProcessParties? _parties;
    bool _partiesHaveNewData;

    /// <summary>
    /// The embedded default: three compute party services in this process, the same services as <c>smpc party serve</c>
    /// (each party runs the study itself — joins, aggregates, the data-use terms, disclosure control — on its own shares),
    /// fed by contributors that share their datasets as <c>smpc contribute</c> does, and asked by this study as the
    /// analyst, which receives releases only. <see cref="Contribute(Contributor)"/> shares a dataset with the parties;
    /// <see cref="Datasets"/> lists what was contributed (no shares are held here).
    /// </summary>
    /// <param name="analyst">The analyst's account, checked by the parties against each dataset's AllowedAnalysts (null: not checked).</param>
    /// <param name="uploads">How contributors pseudonymise identifiers at upload, as a study.json's "pseudonymiser": the
    /// contributors' keyed hash (default), or the parties' threshold OPRF (each party applies its own key share; joins
    /// then run on OPRF pseudonyms, and a join that leaves the pseudonymiser at its default uses them).</param>
    /// <param name="partyLinks">When set, the three parties talk over real TLS on loopback with every link through a relay of
    /// this profile (e.g. <see cref="Transport.LinkProfile.Wan20"/>): the study as it would run between cities, in one process.</param>
    /// <param name="gates">Registry-gated parties: party p's gate (the registry's token key, and where it logs what it
    /// computed), as <c>smpc party serve</c> builds it from study.json's "registry"; set <see cref="WorkToken"/>. Null: not gated.</param>
    public static SecureStudy Embedded(string name, string? analyst = null, PseudonymiserKind uploads = PseudonymiserKind.KeyedHash,
                                       Transport.LinkProfile? partyLinks = null, Func<int, PartyGate?>? gates = null)
    {
        var parties = new InProcessParties(name, checkAnalysts: analyst is not null, oprf: uploads == PseudonymiserKind.Oprf, partyLinks, gates);
        return new SecureStudy(name, new ConnectedEngine(parties), analyst) { _parties = parties, _uploadsUseOprf = uploads == PseudonymiserKind.Oprf };
    }

    /// <summary>Whether this study's parties are the embedded party services (<see cref="Embedded"/>, the default of
    /// OpenDemo and OpenSynthetic).</summary>
    public bool IsEmbedded => _parties is not null;

    /// <summary>The embedded parties' private folder of share files (one subfolder per party), or null.</summary>
    internal string? EmbeddedFolder => _parties?.Folder;

    /// <summary>The share manifest of <paramref name="dataset"/> at the embedded parties (each party's share file with its
    /// SHA-256, one line each): its SHA-256 is what the dataset's steward records at the registry as the upload receipt.</summary>
    public string ShareManifest(string dataset) =>
        (_parties ?? throw new InvalidOperationException("The share manifest is at hand only for the embedded parties (SecureStudy.Embedded).")).ShareManifest(dataset);

    /// <summary>The embedded parties' service logs (what an operator would read; no share value, no identifier).</summary>
    public IReadOnlyList<IReadOnlyList<string>> PartyLogs => _parties is null ? [] : [.. _parties.Logs.Select(l => { lock (l) return (IReadOnlyList<string>)[.. l]; })];

    /// <summary>A contributor in this process shares its dataset with the embedded parties (each receives only its own
    /// share file); the catalogue lists it, holding no share and not the contributor's rows.</summary>
    StudyDataset ContributeToParties(Contributor contributor)
    {
        if (_datasets.ContainsKey(contributor.Dataset)) throw new Statistics.QueryException($"Study '{Name}' already has a dataset '{contributor.Dataset}'.");
        _parties!.Contribute(contributor);
        _partiesHaveNewData = true;
        return Catalogue(contributor.PayloadSchema, contributor.Terms, contributor.Analysis.RowCount, contributor.Files);
    }

    /// <summary>Adds a contributed dataset to the analyst's catalogue (<see cref="Datasets"/>): name, shared columns, row
    /// count, terms and files; its shares are at the parties (embedded or connected).</summary>
    StudyDataset Catalogue(TableSchema payload, DataUseTerms terms, int rows, IReadOnlyList<DatasetFile> files)
    {
        var table = ((ConnectedEngine)Engine).Catalogue(payload.Name, payload, rows);
        var columns = table.Columns.ToDictionary(c => c.Name, c => new ColumnOrigin(payload.Name, c.Name, terms), StringComparer.Ordinal);
        var dataset = new StudyDataset(payload.Name, table, [terms], $"contributed by {terms.Steward}", columns, files, contributor: null) { IsCatalogued = true };
        Add(dataset);
        return dataset;
    }

    /// <summary>The analyst's job at the embedded parties, opened again after a contribution (the parties adopt new
    /// datasets when a job starts).</summary>
    void ConnectToParties()
    {
        if (_parties is null || (_connection is not null && !_partiesHaveNewData)) return;
        _connection?.Dispose();
        _connection = null;
        _connection = _parties.Connect(Analyst ?? "analyst");
        _connection.WorkToken = _workToken;
        _connection.Progress = line => Progress?.Invoke(line);
        _partiesHaveNewData = false;
    }
}
