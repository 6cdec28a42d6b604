// `smpc registry --demo`, once the registry listens: the demo's pilot study (Smpc.Registry.Hosting.DemoPilot) lived
// through to its analysis with the production code paths, so that the registry's transparency log holds a study's
// whole history because it happened. The contributors share the generated synthetic agencies' veterans and survey
// files with three registry-gated compute parties in this process (SecureStudy.Embedded: the services of `smpc party
// serve`, each pinning the registry's work-token key and logging with its own compute operator's personal access
// token); each steward records the SHA-256 of the share manifest as the upload receipt; the coordinator opens the
// analysis; the analyst takes a work token from the API and asks for a join, two tables, a noisy count (ε 0.5) and a
// mean by 'state', which the veterans' pilot terms leave out (refused: AllowedColumns). Every entry the parties post
// (query, releases with their digests, ε spends, the refusal) is in the log; nothing is written there by hand. Runs
// once: a pilot whose log already holds computations is left as it is. The tokens it issued are revoked at the end.
using System.Diagnostics;
using System.Globalization;
using Smpc.Analytics;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Studies.Registry;
using Smpc.Governance;
using Smpc.Governance.Gating;
using Smpc.Registry.Hosting;
using StudyEvent = Smpc.Analytics.Studies.StudyEvent;

namespace Smpc.Cli.Commands;

internal static class DemoPilotRun
{
    /// <summary>The generated synthetic agencies the pilot's contributors share (DemoAgencies: the project's seeded
    /// generator, the same bytes on every machine): 1,000 bank records, so 800 veterans and 600 survey respondents.</summary>
    public const int Size = 1000;
    public const ulong Seed = 2026;

    /// <summary>The pilot's study name at the compute parties.</summary>
    public const string StudyName = "veterans-earnings-pilot";

    public static async Task RunAsync(RegistryStarted started, CancellationToken cancel)
    {
        var output = started.Output;
        var status = await DemoPilot.SeedAsync(started.Services, cancel);
        output.WriteLine($"Pilot study: {DemoPilot.Title}  {started.Url}/studies/{status.StudyId}");
        if (status.ComputationEntries > 0)
        {
            output.WriteLine($"  (its history is in the transparency log: {status.ComputationEntries} computation entries; nothing was run again)");
            output.Flush();
            return;
        }
        var clock = Stopwatch.StartNew();
        var tokens = await DemoPilot.IssueTokensAsync(started.Services, [DemoPilot.Analyst, .. DemoPilot.Operators], TimeSpan.FromMinutes(15), cancel);
        try
        {
            string studyId = status.StudyId.ToString();
            using var analyst = new RegistryClient(started.Url, tokens[DemoPilot.Analyst]);
            var tokenKey = await analyst.WorkTokenKeyAsync(cancel);
            var logs = DemoPilot.Operators.Select(o => new RegistryComputationLog(started.Url, tokens[o], studyId)).ToArray();
            try
            {
                var folder = DemoAgencies.Folder(Size, Seed);
                using var study = SecureStudy.Embedded(StudyName, DemoPilot.Analyst,
                    gates: p => new PartyGate(new StudyTokenCheck { Registry = tokenKey, Study = studyId }) { Log = logs[p] });
                var manifests = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var dataset in DemoPilot.Stewards.Keys)
                {
                    study.Contribute(Path.Combine(folder, dataset + ".csv"), TableSchema.Load(Path.Combine(folder, dataset + ".schema.json")), DemoPilot.Terms(dataset));
                    manifests[dataset] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(study.ShareManifest(dataset))));
                    output.WriteLine($"  contributed '{dataset}' ({study.Dataset(dataset).ReleasedRows} rows) to the three compute parties; share manifest sha256 {manifests[dataset][..16]}…");
                }
                if (status.Stage < StudyStage.Analysis || status.NotUploaded.Count > 0)
                {
                    status = await DemoPilot.RecordUploadsAsync(started.Services, manifests, cancel);
                    output.WriteLine($"  the stewards recorded the upload receipts; the coordinator moved the pilot to {status.Stage}");
                }
                else output.WriteLine("  (the upload receipts were recorded by an earlier start whose computations did not finish; these shares were contributed anew)");
                var issued = await analyst.WorkTokenAsync(studyId, cancel);
                study.WorkToken = issued.Token;
                output.WriteLine($"  {DemoPilot.Analyst} took work token {issued.Id}");
                foreach (var (what, run) in Requests)
                {
                    try
                    {
                        var result = run(study);
                        output.WriteLine($"  {what}: {Logged(result)}");
                    }
                    catch (PolicyException e)
                    {
                        output.WriteLine($"  {what}: refused by the compute parties ({e.Rule}), logged");
                    }
                }
            }
            finally
            {
                foreach (var l in logs) l.Dispose();
            }
            status = await DemoPilot.StatusAsync(started.Services, cancel);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {status.ComputationEntries} computation entries in the registry's transparency log ({clock.Elapsed.TotalSeconds:0.0} s); `smpc audit export` and `smpc audit verify` check them"));
        }
        finally
        {
            await DemoPilot.RevokeTokensAsync(started.Services, tokens.Values, CancellationToken.None);
            output.Flush();
        }
    }

    /// <summary>The analyst's requests, in order: a join (a query entry per party), two exact tables (release entries), a
    /// noisy count that spends ε 0.5 (release and budget-spend entries), and a mean by 'state', which the veterans'
    /// pilot terms leave out (a refusal entry per party, rule AllowedColumns).</summary>
    public static readonly IReadOnlyList<(string What, Func<SecureStudy, StudyEvent> Run)> Requests =
    [
        ("join veterans with survey", s => s.Join(new JoinRequest { Datasets = ["veterans", "survey"], Name = "linked" })),
        ("count of veterans by service era and branch", s => s.Count("veterans", "service_era", "branch")),
        ("count of linked veterans by service era and highest degree", s => s.Count("linked", "service_era", "highest_degree")),
        ("noisy count of veterans by service era (ε 0.5)", s => s.Aggregate(new AggregateRequest
        {
            Dataset = "veterans", Statistics = [StatisticKind.Count], GroupBy = ["service_era"], Epsilon = 0.5,
        })),
        ("mean monthly benefit by state", s => s.Mean("veterans", "monthly_benefit", "state")),
    ];

    static string Logged(StudyEvent result)
    {
        string digest = result switch
        {
            Release r => PartyWire.Digest(r),
            JoinRelease j => PartyWire.Digest(j),
            _ => "",
        };
        return $"sha256 {digest[..16]}…, log entries {string.Join(", ", result.LogEntries.Select(e => e.Index).Order())}";
    }
}
