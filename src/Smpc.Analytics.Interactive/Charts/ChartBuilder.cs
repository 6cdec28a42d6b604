using System.Reflection;
using System.Runtime.Loader;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Charts;

/// <summary>
/// Calls the chart builder (Smpc.Charts, which references Plotly.NET) inside its own AssemblyLoadContext.
/// Plotly.NET 6 needs FSharp.Core 10.1 and both notebook hosts load FSharp.Core 10.0 into the default
/// context, so the builder and all its dependencies are loaded from the <c>chartbuilder</c> folder beside
/// this assembly and only core types (string, string[], double[]) cross the boundary.
/// One non-collectible context lives for the process.
/// </summary>
public sealed class ChartBuilder
{
    public const string FolderName = "chartbuilder";
    static readonly Lazy<ChartBuilder> Shared = new(() => new ChartBuilder(DefaultFolder()));

    readonly Type _figures;
    readonly Lazy<string> _plotlyJs;

    public ChartBuilder(string folder)
    {
        var main = Path.Combine(folder, "Smpc.Charts.dll");
        if (!File.Exists(main))
            throw new FileNotFoundException($"The chart builder is missing: '{main}' does not exist. The extension package should carry it in lib/net10.0/{FolderName}/.", main);
        Folder = folder;
        Context = new FolderLoadContext(folder);
        _figures = Context.LoadFromAssemblyPath(main).GetType("Smpc.Charts.Figures", throwOnError: true)!;
        _plotlyJs = new Lazy<string>(() => Call<string>("PlotlyJs"));
    }

    /// <summary>The builder beside this assembly (created on first use).</summary>
    public static ChartBuilder Default => Shared.Value;

    public string Folder { get; }
    public AssemblyLoadContext Context { get; }

    /// <summary>The plotly.js bundle that ships inside Plotly.NET (drawn offline, never from a CDN).</summary>
    public string PlotlyJs => _plotlyJs.Value;
    public string PlotlyJsVersion => Call<string>("PlotlyJsVersion");

    public string Bar(string[] labels, double[] values, string title, string xTitle, string yTitle) =>
        Call<string>("Bar", labels, values, title, xTitle, yTitle);

    public string Histogram(string[] binLabels, double[] counts, string title, string xTitle) =>
        Call<string>("Histogram", binLabels, counts, title, xTitle);

    public string Heatmap(string[] xs, string[] ys, double[] z, string title, string xTitle, string yTitle) =>
        Call<string>("Heatmap", xs, ys, z, title, xTitle, yTitle);

    public string Box(string[] labels, double[] lower, double[] q1, double[] median, double[] q3, double[] upper, string title, string xTitle, string yTitle) =>
        Call<string>("Box", labels, lower, q1, median, q3, upper, title, xTitle, yTitle);

    public string Regression(string[] labels, double[] intercepts, double[] slopes, double xMin, double xMax, string title, string xTitle, string yTitle) =>
        Call<string>("Regression", labels, intercepts, slopes, xMin, xMax, title, xTitle, yTitle);

    public string Coefficients(string[] terms, double[] coefficients, double[] halfWidths, string title) =>
        Call<string>("Coefficients", terms, coefficients, halfWidths, title);

    /// <summary>The figure of chart data (released cells only; see <see cref="ReleaseCharts"/>).</summary>
    public Figure Render(ChartData chart) => new(chart switch
    {
        BarChartData c => Bar(c.Labels, c.Values, c.Title, c.XTitle, c.YTitle),
        HistogramChartData c => Histogram(c.Bins, c.Counts, c.Title, c.XTitle),
        HeatmapChartData c => Heatmap(c.Xs, c.Ys, c.Z, c.Title, c.XTitle, c.YTitle),
        BoxChartData c => Box(c.Labels, c.Lower, c.Q1, c.Median, c.Q3, c.Upper, c.Title, c.XTitle, c.YTitle),
        FitChartData c => Regression(c.Labels, c.Intercepts, c.Slopes, c.XMin, c.XMax, c.Title, c.XTitle, c.YTitle),
        CoefficientChartData c => Coefficients(c.Terms, c.Coefficients, c.HalfWidths, c.Title),
        _ => throw new ArgumentException($"No figure for {chart.GetType().Name}.", nameof(chart)),
    }, chart.Title, chart.Kind);

    T Call<T>(string method, params object[] args)
    {
        var m = _figures.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
                ?? throw new MissingMethodException("Smpc.Charts.Figures", method);
        try { return (T)m.Invoke(null, args)!; }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    static string DefaultFolder()
    {
        var here = Path.GetDirectoryName(typeof(ChartBuilder).Assembly.Location)
                   ?? throw new InvalidOperationException("The extension assembly has no location on disk; cannot find the chart builder.");
        return Path.Combine(here, FolderName);
    }

    /// <summary>Resolves every assembly found in the folder (FSharp.Core included) inside this context and leaves
    /// everything else (the framework) to the default context.</summary>
    sealed class FolderLoadContext(string folder) : AssemblyLoadContext("Smpc.Charts", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var candidate = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
