using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Smpc.Analytics.Interactive.Charts;
using Smpc.Analytics.Interactive.Display;
using Smpc.Analytics.Interactive.Magics;
using Smpc.Analytics.Statistics;
using Smpc.Analytics.Studies;
using Smpc.Analytics.Studies.Parties;

namespace Smpc.Analytics.Interactive;

/// <summary>
/// The kernel extension: registers <c>#!secure-study</c>, <c>#!secure-join</c>, <c>#!secure-aggregate</c>, <c>#!secure-release</c> and <c>#!secure-report</c> and the
/// HTML formatters of results. A thin shell over <see cref="SecureStudy"/> (Smpc.Analytics.Studies): every magic parses
/// its arguments, calls the study API, and displays what comes back. Bad input fails the cell with a message that
/// names the problem; the kernel keeps working.
/// </summary>
public sealed class SecureAnalyticsExtension
{
    readonly Kernel _root;
    readonly StudyRegistry _studies = new();

    /// <summary>The registry the last <c>#!secure-study --registry URL --study ID</c> signed in to, with its token and the
    /// study's id there: where <c>#!secure-release</c> fetches releases held for review. Null until then.</summary>
    (string Url, string Token, string StudyId)? _signedIn;

    SecureAnalyticsExtension(Kernel root) => _root = root;

    /// <summary>Called by extension.dib when the package is loaded.</summary>
    public static void Load(Kernel kernel) => Load(kernel, announce: true);

    public static SecureAnalyticsExtension Load(Kernel kernel, bool announce)
    {
        var root = kernel.RootKernel;
        var extension = new SecureAnalyticsExtension(root);
        RegisterFormatters();
        var study = Directives.Study();
        var join = Directives.Join();
        var aggregate = Directives.Aggregate();
        var report = Directives.Report();
        var held = Directives.Release();
        root.AddDirective<SecureStudyCommand>(study, (c, ctx) => c.Help ? ShowHelp(study, ctx) : extension.Run(c, ctx, () => extension.OpenStudy(c, ctx)));
        root.AddDirective<SecureJoinCommand>(join, (c, ctx) => c.Help ? ShowHelp(join, ctx) : extension.Run(c, ctx, () => extension.JoinAsync(c, ctx)));
        root.AddDirective<SecureAggregateCommand>(aggregate, (c, ctx) => c.Help ? ShowHelp(aggregate, ctx) : extension.Run(c, ctx, () => extension.AggregateAsync(c, ctx)));
        root.AddDirective<SecureReleaseCommand>(held, (c, ctx) => c.Help ? ShowHelp(held, ctx) : extension.Run(c, ctx, () => extension.ReleaseAsync(c, ctx)));
        root.AddDirective<SecureReportCommand>(report, (c, ctx) => c.Help ? ShowHelp(report, ctx) : extension.Run(c, ctx, () => extension.ReportAsync(c, ctx)));
        root.RegisterForDisposal(extension._studies);
        _ = Task.Run(WarmUp);
        if (announce && KernelInvocationContext.Current is { } current)
            current.DisplayAs("<div class=\"smpc\">Smpc.Analytics loaded: <code>#!secure-study</code>, <code>#!secure-join</code>, " +
                              "<code>#!secure-aggregate</code>, <code>#!secure-release</code>, <code>#!secure-report</code> (add <code>--help</code> to any of them for its parameters).</div>", "text/html");
        return extension;
    }

    public StudyRegistry Studies => _studies;

    /// <summary>Runs a tiny study and chart in the background right after loading, so that the analyst's first magic
    /// does not pay for loading the chart builder and compiling the protocol code. Errors are left for the real
    /// call to report.</summary>
    static void WarmUp()
    {
        try
        {
            using var study = SecureStudy.OpenDemo(DemoAgencies.MinSize, 1, "warm-up");
            var release = study.Mean("veterans", "monthly_benefit", "service_era");
            study.Count("veterans", "service_era", "sex");
            _ = ChartBuilder.Default.PlotlyJs;
            release.Chart();
        }
        catch (Exception)
        {
            // The same failure surfaces, with its message, when a magic needs the component.
        }
    }

    static Task ShowHelp(KernelActionDirective directive, KernelInvocationContext context)
    {
        context.DisplayAs(Directives.HelpHtml(directive), HtmlFormatter.MimeType);
        return Task.CompletedTask;
    }

    static void RegisterFormatters()
    {
        Formatter.Register<Release>(ResultHtml.Release, HtmlFormatter.MimeType);
        Formatter.Register<JoinRelease>(ResultHtml.Join, HtmlFormatter.MimeType);
        Formatter.Register<SecureStudy>(ResultHtml.Study, HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Release), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(JoinRelease), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(SecureStudy), HtmlFormatter.MimeType);
        Formatter.Register<Figure>(f => f.Json, PlotlyHtml.MimeType);
        Formatter.Register<Figure>(f => PlotlyHtml.Default.Render(f), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Figure), PlotlyHtml.MimeType, HtmlFormatter.MimeType);
    }

    async Task Run(KernelCommand command, KernelInvocationContext context, Func<Task> body)
    {
        try { await body(); }
        catch (SmpcException e) { context.Fail(command, message: e.Message); }
        catch (FileNotFoundException e) { context.Fail(command, message: e.Message); }
        catch (Smpc.Analytics.Studies.Registry.RegistryException e) { context.Fail(command, message: e.Message); }
        catch (Exception e) { context.Fail(command, e, $"Unexpected error ({e.GetType().Name}): {e.Message}"); }
    }

    async Task OpenStudy(SecureStudyCommand c, KernelInvocationContext context)
    {
        if (c.Registry is not null)
        {
            string token = c.Token ?? Environment.GetEnvironmentVariable(SecureStudyCommand.TokenVariable) ?? Smpc.Analytics.Studies.Registry.RegistryClient.SavedToken() ?? "";
            using var registry = SecureStudy.ConnectRegistry(c.Registry, token);
            var studies = await registry.StudiesAsync();
            var actions = await registry.ActionsAsync();
            if (c.Study is { } wanted)
            {
                var one = studies.FirstOrDefault(s => s.StudyId.ToString() == wanted.Trim() || string.Equals(s.Title, wanted.Trim(), StringComparison.OrdinalIgnoreCase))
                          ?? throw new QueryException($"You are in no study '{wanted}' at {registry.BaseAddress}; your studies: {(studies.Count == 0 ? "none" : string.Join(", ", studies.Select(s => $"{s.Title} ({s.StudyId})")))}.");
                studies = new List<Studies.Registry.RegistryStudy> { one };                // a named type: the C# kernel declares the variable with it
                actions = actions.Where(a => a.StudyId == one.StudyId).ToList();
                await ShareValue("myStudy", one, context);
                _signedIn = (registry.BaseAddress.ToString(), token, one.StudyId.ToString());   // where #!secure-release fetches held releases
            }
            context.DisplayAs(RegistryHtml.Of(registry.BaseAddress, studies, actions), HtmlFormatter.MimeType);
            await ShareValue("myStudies", studies, context);
            await ShareValue("myActions", actions, context);
            if (c.Open is null && c.Config is null) return;
        }
        var data = (c.Open ?? "demo").ToLowerInvariant();
        var name = c.Name ?? (c.Connect is not null ? "study" : c.Config is null ? data : "remote");
        var study = CellProgress.Run(context, c.Connect is not null ? "connecting to the three party services…" : $"opening study '{name}': contributing the datasets…", p =>
            c.Connect is not null ? SecureStudy.Connect(c.Connect)
            : c.Config is not null ? SecureStudy.OpenRemote(c.Config, data, c.SizeValue, c.SeedValue, c.Data, name, analyst: c.Analyst)
            : data == "synthetic" ? SecureStudy.OpenSynthetic(c.Data, name, EngineOf(c), c.Analyst, UploadsOf(c), p.Report)
            : SecureStudy.OpenDemo(c.SizeValue, c.SeedValue, name, EngineOf(c), c.Analyst, UploadsOf(c), p.Report),
            s => $"study '{s.Name}' open: {s.Datasets.Count + s.RemoteDatasets.Count} datasets");
        _studies.Add(name, study);
        context.DisplayAs(ResultHtml.Study(study), HtmlFormatter.MimeType);
        await ShareValue(name, study, context);
    }

    /// <summary>--engine: null for the party services in this process (the default), else the engine the study program runs on.</summary>
    static Engine.IComputeEngine? EngineOf(SecureStudyCommand c) => (c.Engine ?? "services").ToLowerInvariant() switch
    {
        "secure" => new Engine.SecureEngine(),
        "plaintext" => new Engine.PlaintextEngine(),
        _ => null,
    };

    static PseudonymiserKind UploadsOf(SecureStudyCommand c) => c.Pseudonymiser is null ? PseudonymiserKind.KeyedHash : PseudonymiserKinds.Parse(c.Pseudonymiser);

    /// <summary>The study's report, packet and SHA256SUMS from its history (StudyReports.Write: the writers of smpc study run).</summary>
    async Task ReportAsync(SecureReportCommand c, KernelInvocationContext context)
    {
        var study = _studies.Resolve(c.Study);
        var written = Reporting.StudyReports.Write(study, Path.GetFullPath(c.Out!), c.Title ?? $"Study {study.Name}", c.Question ?? "",
                                                   new ReportFigures(), command: c.Command);
        context.DisplayAs(ResultHtml.Report(written, study), HtmlFormatter.MimeType);
        await ShareValue(c.Name ?? "report", written, context);
    }

    async Task JoinAsync(SecureJoinCommand c, KernelInvocationContext context)
    {
        var study = _studies.Resolve(c.Study);
        var request = c.ToRequest();
        if (c.Explain)
        {
            await ShowExplanation(study.Explain(request), c.Name ?? "explanation", context);
            return;
        }
        JoinRelease join;
        try
        {
            join = CellProgress.Run(context, $"linking {string.Join(" ⋈ ", request.Datasets)} at the three compute parties…", p => WithProgress(study, p, () => study.Join(request)),
                                    j => $"linked {j.Dataset}: {j.RowsText} rows");
        }
        catch (ReleaseUnderReviewException held)
        {
            ShowHeld(held, context);
            return;
        }
        await ShowJoin(join, context);
    }

    async Task ShowJoin(JoinRelease join, KernelInvocationContext context)
    {
        context.DisplayAs(ResultHtml.Join(join), HtmlFormatter.MimeType);
        await ShareValue(join.Dataset, join, context);
    }

    /// <summary>A release held for a steward's review: the cell says so (whose review, the id, the registry, how to fetch)
    /// and succeeds; nothing of the release is shown or shared.</summary>
    void ShowHeld(ReleaseUnderReviewException held, KernelInvocationContext context) =>
        context.DisplayAs(HeldHtml.Of(held, _signedIn is { } s ? new Uri(s.Url) : null, _signedIn?.StudyId), HtmlFormatter.MimeType);

    /// <summary>#!secure-release: a held release fetched by its id from the registry signed in to; with --wait, the
    /// registry is asked every few seconds until the steward decided or the time is up (then the cell fails saying it
    /// still waits). Approved: shown as #!secure-aggregate or #!secure-join shows it; rejected: the cell fails with the
    /// steward's reason; still pending without --wait: the cell shows the held notice again.</summary>
    async Task ReleaseAsync(SecureReleaseCommand c, KernelInvocationContext context)
    {
        var study = _studies.Resolve(c.Study);
        var (url, token, registryStudy) = _signedIn
            ?? throw new QueryException("#!secure-release fetches from the study's registry: sign in first with #!secure-study --registry URL --study ID (the study's id or title there).");
        using var registry = SecureStudy.ConnectRegistry(url, token);
        string id = c.Id!.Trim();
        StudyEvent released;
        try
        {
            released = c.WaitSeconds is { } wait
                ? CellProgress.Run(context, $"release {id}: waiting for the steward's review (up to {wait} s)…",
                      p => study.AwaitHeld(registry, registryStudy, id, TimeSpan.FromSeconds(wait), TimeSpan.FromSeconds(Math.Clamp(wait / 10, 1, 10)), p.Report),
                      r => $"release {id} approved")
                : study.FetchHeld(registry, registryStudy, id);
        }
        catch (ReleaseUnderReviewException held) when (c.WaitSeconds is null)
        {
            ShowHeld(held, context);
            return;
        }
        catch (ReleaseUnderReviewException held)
        {
            throw new QueryException($"Still held after {c.WaitSeconds} s. {held.Message}");
        }
        if (released is JoinRelease join) await ShowJoin(join, context);
        else await ShowRelease((Release)released, c.Plot, c.Value, c.Name, context);
    }

    async Task AggregateAsync(SecureAggregateCommand c, KernelInvocationContext context)
    {
        var study = _studies.Resolve(c.Study);
        if (c.Plot is not null) ChartKinds.Parse(c.Plot);   // a bad --plot fails before anything is computed
        var aggregate = c.ToRequest();
        if (c.Explain)
        {
            await ShowExplanation(study.Explain(aggregate), c.Name ?? "explanation", context);
            return;
        }
        Release release;
        try
        {
            release = CellProgress.Run(context, $"{aggregate.Describe()}: computing at the three compute parties…", p => WithProgress(study, p, () => study.Aggregate(aggregate)),
                                       r => $"{r.ReleasedRows.Count()} of {r.RowCount} cells released");
        }
        catch (ReleaseUnderReviewException held)
        {
            ShowHeld(held, context);
            return;
        }
        await ShowRelease(release, c.Plot, c.Value, c.Name, context);
    }

    /// <summary>A release as a table with its footer (cost, rules, reveals, log entries), its chart, and its C# variables.</summary>
    async Task ShowRelease(Release release, string? plotOption, string? value, string? variable, KernelInvocationContext context)
    {
        var plot = plotOption is null ? ChartKind.Auto : ChartKinds.Parse(plotOption);
        context.DisplayAs(ResultHtml.Release(release), HtmlFormatter.MimeType);
        Figure? figure;
        try { figure = release.Chart(plot, value); }
        catch (QueryException e) { throw new QueryException($"The release was computed and is shown above, but it cannot be drawn: {e.Message}"); }
        if (figure is not null) ShowFigure(figure, context);
        var name = variable ?? "result";
        await ShareValue(name, release.Table, context);
        await ShareValue(name + "Release", release, context);
    }

    /// <summary>Runs <paramref name="operation"/> with the study's progress lines (a join's passes, an ordering's levels,
    /// a regression's pivots, reported by the parties as they go) shown in the cell's status line.</summary>
    static T WithProgress<T>(SecureStudy study, CellProgress progress, Func<T> operation)
    {
        var before = study.Progress;
        study.Progress = progress.Report;
        try { return operation(); }
        finally { study.Progress = before; }
    }

    /// <summary>Shows what a join or query would do (nothing computed) and makes it a C# variable.</summary>
    async Task ShowExplanation(Explanation explanation, string name, KernelInvocationContext context)
    {
        context.DisplayAs(ResultHtml.Explanation(explanation), HtmlFormatter.MimeType);
        await ShareValue(name, explanation, context);
    }

    /// <summary>Displays a figure as plotly JSON with an HTML fallback (the fallback draws offline).</summary>
    public static void ShowFigure(Figure figure, KernelInvocationContext context) =>
        context.Publish(new DisplayedValueProduced(figure, context.Command,
            [new FormattedValue(PlotlyHtml.MimeType, figure.Json), new FormattedValue(HtmlFormatter.MimeType, PlotlyHtml.Default.Render(figure))]));

    /// <summary>Makes a result available to C# cells as a variable.</summary>
    async Task ShareValue(string name, object value, KernelInvocationContext context)
    {
        var csharp = _root.FindKernelByName("csharp");
        if (csharp is null) return;
        var result = await csharp.SendAsync(new SendValue(name, value, new FormattedValue(PlainTextFormatter.MimeType, name)));
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
            throw new QueryException($"Could not set the C# variable '{name}': {failed.Message}");
    }
}
