using Smpc.Analytics.Columnar;
using Smpc.Analytics.Columnar.Ipc;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    /// <summary>
    /// The study as one compute party service runs it (<see cref="PartyStudyHost"/>): the same study program as in one
    /// process, on this party's <see cref="PartyEngine"/>, over the datasets contributed to this party (its share files'
    /// views, adopted without copying: <see cref="AdoptNew"/>). The three parties each build one from the same public
    /// inputs and stay in step.
    /// </summary>
    internal static SecureStudy ForParty(string name, PartyEngine engine, PrivacyBudgetLedger? ledger = null) => new(name, engine, ledger: ledger);

    /// <summary>The scheme of the pseudonym columns in a contributed share file — the study's keyed hash or the parties'
    /// OPRF, as study.json chose at upload (Store/DatasetUpload.cs): each pseudonym column's description starts with it.</summary>
    static string UploadScheme(IEnumerable<SecretColumn> pseudonyms) =>
        pseudonyms.Any(c => c.Spec.Description?.StartsWith(OprfPseudonymiser.SchemeName + " ", StringComparison.Ordinal) == true)
            ? OprfPseudonymiser.SchemeName : KeyedHashPseudonymiser.SchemeName;

    /// <summary>Adopts the datasets contributed since the last call (a party service between two analyst jobs). Returns the
    /// catalogue the study now runs on — each contributed dataset's name and upload id — which the parties compare. With
    /// <paramref name="problem"/>, a dataset that cannot be loaded is reported there and left out (the parties' catalogues
    /// then differ and they refuse requests until it loads everywhere); without, it throws.</summary>
    internal string AdoptNew(IPartyDatasets datasets, Action<string, Exception>? problem)
    {
        lock (_gate)
        {
            var engine = (PartyEngine)Engine;
            foreach (var dataset in datasets.Names.Where(n => !_datasets.ContainsKey(n)))
            {
                try { Add(Adopt(engine, dataset, datasets.Load(dataset), datasets.Terms(dataset))); }
                catch (Exception e) when (problem is not null && e is not OutOfMemoryException) { problem(dataset, e); }
            }
            return string.Join("\n", _order.Select(n => _datasets[n]).Where(d => d.IsContributed).Select(d => $"{d.Name}\t{d.Description}"));
        }
    }

    /// <summary>The analyst on whose behalf the next operations run, as its certificate names it (party services only).</summary>
    internal void ActAs(string? analyst)
    {
        lock (_gate) Analyst = analyst;
    }

    static StudyDataset Adopt(PartyEngine engine, string name, ShareFileContents contents, DataUseTerms terms)
    {
        terms.Validate();
        var header = contents.Header;
        if (header.Dataset != name) throw new QueryException($"The store returned dataset '{header.Dataset}' for '{name}'.");
        if (terms.Dataset != name) throw new SchemaException($"The data-use terms of '{name}' are for '{terms.Dataset}'.");
        if (header.PartyId != engine.PartyId) throw new ShapeException($"Dataset '{name}': the store returned party {header.PartyId}'s shares to party {engine.PartyId}.");
        // A categorical column is stored as codes: it is expanded to one-hot the first time a request uses it (after the
        // three parties agreed on that request, so they run the expansion in step) and kept for the study's life.
        var columns = contents.Table.Columns.Select(c => c.Code is { } code
            ? CategoryCode.Lazy(engine, c.Spec, c.Length, () => engine.ExpandCategory(code, CategoryCode.Bits(c.Spec), c.Spec.Domain!.Count, CategoryCode.First(c.Spec)),
                                new StoredCode(code, CategoryCode.First(c.Spec)))
            : new SecretColumn(c.Spec,
                c.Values is null ? null : engine.Adopt(c.Values),
                c.OneHot?.Select(engine.Adopt).ToArray(),
                c.Present is null ? null : engine.Adopt(c.Present))).ToArray();
        var payload = columns.Where(c => c.Spec.Kind != ColumnKind.Pseudonym).ToArray();
        var pseudonyms = columns.Where(c => c.Spec.Kind == ColumnKind.Pseudonym).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var table = new SecretTable(name, engine, payload);
        var origins = payload.ToDictionary(c => c.Name, c => new ColumnOrigin(name, c.Name, terms), StringComparer.Ordinal);
        return new StudyDataset(name, table, [terms], $"contributed by {terms.Steward} (upload {header.UploadId})", origins, [], contributor: null)
        {
            LinkSource = new SharedLinkSource(header.Schema with { Columns = payload.Select(c => c.Spec).ToArray() }, terms, pseudonyms, table.RowCount, UploadScheme(pseudonyms.Values)),
        };
    }
}
