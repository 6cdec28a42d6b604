using Smpc.Analytics.Engine;
using Smpc.Analytics.Session;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    /// <summary>
    /// The embedded demo: three compute parties in this process over the synthetic agencies generated on this machine
    /// by the project's seeded generator (<paramref name="size"/> bank records, 0.8× veterans, 0.6× survey respondents),
    /// each contributed under its own data-use terms, with the plaintext ground truth for checks.
    /// </summary>
    public static SecureStudy OpenDemo(int size = 2000, ulong seed = 2026, string name = "demo", IComputeEngine? engine = null, string? analyst = null) =>
        OpenFolder(DemoAgencies.Folder(size, seed), name, engine ?? new SecureEngine(), analyst);

    /// <summary>The synthetic agencies of <c>data/synthetic</c> (or <paramref name="folder"/>), three parties in this process
    /// unless another engine is given.</summary>
    public static SecureStudy OpenSynthetic(string? folder = null, string name = "synthetic", IComputeEngine? engine = null, string? analyst = null) =>
        OpenFolder(SyntheticAgencies.Locate(folder), name, engine ?? new SecureEngine(), analyst);

    /// <summary>
    /// A study whose three compute parties run as separate processes (<c>smpc party --id N --config study.json --serve</c>),
    /// reached over TLS 1.3 with the analyst's certificate named in the configuration. This process then acts as the
    /// contributors of <paramref name="data"/> ("demo": generated at <paramref name="size"/>/<paramref name="seed"/>;
    /// "synthetic": <paramref name="folder"/> or data/synthetic), sending each party only its own shares.
    /// </summary>
    /// <param name="analyst">The analyst's account for the data-use terms' AllowedAnalysts (null: not checked); the TLS
    /// identity is the analyst certificate of the configuration.</param>
    public static SecureStudy OpenRemote(string configPath, string data = "demo", int size = 2000, ulong seed = 2026, string? folder = null,
                                         string name = "remote", TimeSpan? connectTimeout = null, string? analyst = null)
    {
        if (!File.Exists(configPath)) throw new QueryException($"Study configuration '{configPath}' does not exist.");
        var source = data.ToLowerInvariant() switch
        {
            "demo" => DemoAgencies.Folder(size, seed),
            "synthetic" => SyntheticAgencies.Locate(folder),
            _ => throw new QueryException($"Unknown data '{data}': use demo (generated agencies) or synthetic (the files of data/synthetic)."),
        };
        var config = StudyConfig.Load(configPath);
        var credentials = StudyCredentials.Load(config, StudyMember.Analyst);
        RemoteEngine engine;
        try { engine = RemoteEngine.Connect(config, credentials, connectTimeout ?? TimeSpan.FromSeconds(30)); }
        catch { credentials.Dispose(); throw; }
        SecureStudy study;
        try { study = OpenFolder(source, name, engine, analyst); }
        catch { credentials.Dispose(); throw; }
        study._owned.Add(credentials);
        return study;
    }

    /// <summary>Every agency file of <paramref name="folder"/> contributed under its own terms.</summary>
    /// <param name="analyst">The analyst's account, checked against each dataset's AllowedAnalysts (null: not checked).</param>
    public static SecureStudy OpenFolder(string folder, string name, IComputeEngine engine, string? analyst = null)
    {
        var study = new SecureStudy(name, engine, analyst) { DataFolder = Path.GetFullPath(folder) };
        try
        {
            var contributors = SyntheticAgencies.Load(folder);
            if (contributors.Count == 0) throw new QueryException($"'{folder}' holds none of the agency files ({string.Join(", ", SyntheticAgencies.Files.Select(f => f + ".csv"))}).");
            foreach (var c in contributors) study.Contribute(c);
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
