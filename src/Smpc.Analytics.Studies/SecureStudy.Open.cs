using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Session;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    /// <summary>
    /// The embedded demo: three compute party services in this process (<see cref="Embedded"/>: the services of
    /// <c>smpc party serve</c>, fed as <c>smpc contribute</c> feeds them) over the synthetic agencies generated on this
    /// machine by the project's seeded generator (<paramref name="size"/> bank records, 0.8× veterans, 0.6× survey
    /// respondents), each contributed under its own data-use terms, with the plaintext ground truth for checks.
    /// </summary>
    /// <param name="engine">Instead of the party services: the study program on this engine in this process (a
    /// <see cref="SecureEngine"/> whose parties' links a test can record, or the <see cref="PlaintextEngine"/> reference).</param>
    /// <param name="uploads">With the party services: how contributors pseudonymise at upload (<see cref="Embedded"/>).
    /// On an engine each join chooses its pseudonymiser, so only the default is accepted there.</param>
    /// <param name="progress">Progress lines while the agencies are contributed (<see cref="Progress"/>).</param>
    public static SecureStudy OpenDemo(int size = 2000, ulong seed = 2026, string name = "demo", IComputeEngine? engine = null, string? analyst = null,
                                       PseudonymiserKind uploads = PseudonymiserKind.KeyedHash, Action<string>? progress = null, Transport.LinkProfile? partyLinks = null) =>
        Open(DemoAgencies.Folder(size, seed), name, engine, analyst, SyntheticAgencies.Load, uploads, progress, partyLinks);

    /// <summary>The synthetic agencies of <c>data/synthetic</c> (or <paramref name="folder"/>) at three compute party services
    /// in this process (<see cref="Embedded"/>), or on <paramref name="engine"/> when one is given.</summary>
    public static SecureStudy OpenSynthetic(string? folder = null, string name = "synthetic", IComputeEngine? engine = null, string? analyst = null,
                                            PseudonymiserKind uploads = PseudonymiserKind.KeyedHash, Action<string>? progress = null) =>
        Open(SyntheticAgencies.Locate(folder), name, engine, analyst, SyntheticAgencies.Load, uploads, progress);

    /// <summary>
    /// A study whose three compute parties run as separate processes (<c>smpc party --id N --config study.json --serve</c>),
    /// reached over TLS 1.3 with the analyst's certificate named in the configuration. This process then acts as the
    /// contributors of <paramref name="data"/> ("demo": generated at <paramref name="size"/>/<paramref name="seed"/>;
    /// "synthetic": <paramref name="folder"/> or data/synthetic; any other value: a folder of datasets, see
    /// <see cref="DatasetFolder"/>), sending each party only its own shares.
    /// </summary>
    /// <param name="analyst">The analyst's account for the data-use terms' AllowedAnalysts (null: not checked); the TLS
    /// identity is the analyst certificate of the configuration.</param>
    public static SecureStudy OpenRemote(string configPath, string data = "demo", int size = 2000, ulong seed = 2026, string? folder = null,
                                         string name = "remote", TimeSpan? connectTimeout = null, string? analyst = null)
    {
        if (!File.Exists(configPath)) throw new QueryException($"Study configuration '{configPath}' does not exist.");
        var (source, load) = data.ToLowerInvariant() switch
        {
            "demo" => (DemoAgencies.Folder(size, seed), (Func<string, IReadOnlyList<Contributor>>)SyntheticAgencies.Load),
            "synthetic" => (SyntheticAgencies.Locate(folder), SyntheticAgencies.Load),
            _ when Directory.Exists(data) => (data, DatasetFolder.Load),
            _ => throw new QueryException($"Unknown data '{data}': use demo (generated agencies), synthetic (the files of data/synthetic) or the path of a folder of datasets (NAME.csv with NAME.schema.json and NAME.terms.json)."),
        };
        var config = StudyConfig.Load(configPath);
        var credentials = StudyCredentials.Load(config, StudyMember.Analyst);
        RemoteEngine engine;
        try { engine = RemoteEngine.Connect(config, credentials, connectTimeout ?? TimeSpan.FromSeconds(30)); }
        catch { credentials.Dispose(); throw; }
        SecureStudy study;
        try { study = Open(source, name, engine, analyst, load); }
        catch { credentials.Dispose(); throw; }
        study._owned.Add(credentials);
        return study;
    }

    /// <summary>Every dataset of <paramref name="folder"/> (<c>NAME.csv|.arrow|.parquet</c> with <c>NAME.schema.json</c> and
    /// <c>NAME.terms.json</c> beside it; <see cref="DatasetFolder"/>) contributed under its own terms, in name order.</summary>
    /// <param name="analyst">The analyst's account, checked against each dataset's AllowedAnalysts (null: not checked).</param>
    public static SecureStudy OpenFolder(string folder, string name, IComputeEngine engine, string? analyst = null) =>
        Open(folder, name, engine, analyst, DatasetFolder.Load);

    static SecureStudy Open(string folder, string name, IComputeEngine? engine, string? analyst, Func<string, IReadOnlyList<Contributor>> load,
                            PseudonymiserKind uploads = PseudonymiserKind.KeyedHash, Action<string>? progress = null, Transport.LinkProfile? partyLinks = null)
    {
        if (engine is not null && uploads != PseudonymiserKind.KeyedHash)
        {
            engine.Dispose();
            throw new ArgumentException("The pseudonymiser of uploads applies to the party services of the embedded default; on an engine each join chooses its own (JoinRequest.Pseudonymiser).", nameof(uploads));
        }
        var study = engine is null ? Embedded(name, analyst, uploads, partyLinks) : new SecureStudy(name, engine, analyst);
        study.Progress = progress;
        study.DataFolder = Path.GetFullPath(folder);
        try
        {
            foreach (var c in load(folder)) study.Contribute(c);
            if (File.Exists(Path.Combine(folder, "truth", "ground-truth.json"))) study.GroundTruth = new SyntheticTruth(folder);
        }
        catch
        {
            study.Dispose();
            throw;
        }
        return study;
    }
}
