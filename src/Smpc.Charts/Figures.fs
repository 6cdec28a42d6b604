// Figure JSON for released aggregates, built with Plotly.NET.
// Only released values reach this code: callers drop suppressed cells (bar, histogram, box, regression)
// or pass them as NaN (heatmap), which become null (an empty cell) in the figure, marked by a "suppressed" annotation.
// Every member takes and returns core types only, so no F# or Plotly.NET type crosses the
// AssemblyLoadContext boundary of the notebook extension.
namespace Smpc.Charts

open System
open System.IO
open Plotly.NET
open Plotly.NET.TraceObjects
open Plotly.NET.LayoutObjects

module private Convert =
    let conv (values: float[]) = values |> Array.map (fun v -> v :> IConvertible)

/// Plotly.NET attaches its default template (a large layout object) to every chart it creates, and serialising it
/// takes 100–300 ms per figure; plotly.js has the same defaults built in. So charts are created with an empty
/// template: figures serialise in well under a millisecond and look the same.
module private Setup =
    let plainTemplate = lazy (Defaults.DefaultTemplate <- Template.init (Layout.init ()))
    let ensure () = plainTemplate.Force()

/// Long texts broken into lines for plotly (which draws "<br>" as a line break and never wraps by itself): titles
/// wider than the figure were cut off, and long category labels, rotated, ran off the figure and into the axis title.
module private Text =
    let wrap (width: int) (text: string) =
        if isNull text || text.Length <= width then text
        else
            let lines = ResizeArray<string>()
            let mutable line = ""
            for word in text.Split(' ') do
                if line.Length = 0 then line <- word
                elif line.Length + 1 + word.Length <= width then line <- line + " " + word
                else
                    lines.Add line
                    line <- word
            if line.Length > 0 then lines.Add line
            String.Join("<br>", lines)

    /// Characters of a category label that fit under one bar of a 720-pixel figure's plot (about 7 pixels a character).
    let budget (count: int) = max 6 (min 24 (520 / max 1 count / 7))

    /// Category labels of an x axis: when one is wider than its share of the axis, every label is broken into lines of
    /// that width (after spaces and hyphens) and drawn level (tick angle 0) instead of rotated into its neighbours.
    let labels (values: string[]) =
        let width = budget values.Length
        if values |> Array.forall (fun v -> isNull v || v.Length <= width) then values, false
        else values |> Array.map (fun v -> if isNull v then v else wrap width (v.Replace("-", "- "))), true

open Convert

type Figures =
    static member private Finish(chart: GenericChart, title: string, xTitle: string, yTitle: string, ?levelLabels: bool) =
        let level = defaultArg levelLabels false
        let json =
            chart
            |> Chart.withTitle (Text.wrap 64 title)
            |> Chart.withXAxisStyle (TitleText = xTitle)
            |> Chart.withYAxisStyle (TitleText = yTitle)
            |> Chart.withSize (720, 420)
            |> GenericChart.toFigureJson
        // Both axes make room for their tick labels and title (plotly's automargin), so rotated or multi-line labels
        // stay inside the figure and clear of the axis title.
        let figure = System.Text.Json.Nodes.JsonNode.Parse(json)
        let layout = figure.["layout"].AsObject()
        let axisOf (name: string) : System.Text.Json.Nodes.JsonObject =
            match layout.[name] with
            | :? System.Text.Json.Nodes.JsonObject as a -> a
            | _ ->
                let a = System.Text.Json.Nodes.JsonObject()
                layout.[name] <- a
                a
        for name in [ "xaxis"; "yaxis" ] do (axisOf name).["automargin"] <- System.Text.Json.Nodes.JsonValue.Create(true)
        if level then
            let x = axisOf "xaxis"
            x.["tickangle"] <- System.Text.Json.Nodes.JsonValue.Create(0)
            // The axis title below the deepest label (with automargin, standoff counts from the tick labels).
            match x.["title"] with
            | :? System.Text.Json.Nodes.JsonObject as t -> t.["standoff"] <- System.Text.Json.Nodes.JsonValue.Create(14)
            | _ -> ()
            x.["tickfont"] <- System.Text.Json.Nodes.JsonObject([ Collections.Generic.KeyValuePair("size", System.Text.Json.Nodes.JsonValue.Create(10) :> System.Text.Json.Nodes.JsonNode) ])
        figure.ToJsonString()

    /// Vertical bars, one per released cell.
    static member Bar(labels: string[], values: float[], title: string, xTitle: string, yTitle: string) : string =
        Setup.ensure ()
        let keys, level = Text.labels labels
        Figures.Finish(Chart.Column(values = values, Keys = keys, Name = yTitle), title, xTitle, yTitle, level)

    /// A histogram from released bin counts (bars without gaps; bins are public).
    static member Histogram(binLabels: string[], counts: float[], title: string, xTitle: string) : string =
        Setup.ensure ()
        let keys, level = Text.labels binLabels
        let chart =
            Chart.Column(values = counts, Keys = keys, Name = "n")
            |> Chart.withLayout (Layout.init (BarGap = 0.0))
        Figures.Finish(chart, title, xTitle, "rows", level)

    /// A heatmap of a cross-tab: z is row-major (ys.Length rows of xs.Length), NaN where a cell was suppressed.
    static member Heatmap(xs: string[], ys: string[], z: float[], title: string, xTitle: string, yTitle: string) : string =
        Setup.ensure ()
        if z.Length <> xs.Length * ys.Length then
            invalidArg (nameof z) $"heatmap needs {xs.Length} x {ys.Length} values, got {z.Length}"
        let cell i j = z.[i * xs.Length + j]
        let xs, level = Text.labels xs
        let ys = ys |> Array.map (Text.wrap 24)
        // Plotly.NET's typed z must be IConvertible; suppressed cells must be null (not NaN, which is not JSON),
        // so z and the cell labels are set as plain properties of the trace.
        let rows = [| for i in 0 .. ys.Length - 1 -> [| for j in 0 .. xs.Length - 1 -> (let v = cell i j in if Double.IsNaN v then null else box v) |] |]
        let text = [| for i in 0 .. ys.Length - 1 -> [| for j in 0 .. xs.Length - 1 -> (let v = cell i j in if Double.IsNaN v then "" else v.ToString("G6")) |] |]
        let trace = Trace2D.initHeatmap (Trace2DStyle.Heatmap(X = xs, Y = ys, ShowScale = true))
        trace.SetProperty("z", rows)
        trace.SetProperty("text", text)
        trace.SetProperty("texttemplate", "%{text}")
        trace.SetProperty("hoverongaps", false)
        // Suppressed cells: empty (null z), on a pale red background, labelled in dark red.
        let marks =
            [ for i in 0 .. ys.Length - 1 do
                for j in 0 .. xs.Length - 1 do
                    if Double.IsNaN(cell i j) then
                        Annotation.init (X = xs.[j], Y = ys.[i], Text = "suppressed", ShowArrow = false, Font = Font.init (Color = Color.fromHex "#aa3333")) ]
        let chart =
            GenericChart.ofTraceObject true trace
            |> Chart.withAnnotations marks
            |> Chart.withLayout (Layout.init (PlotBGColor = Color.fromHex "#fde8e8"))
        Figures.Finish(chart, title, xTitle, yTitle, level)

    /// Boxes from released quantiles (no raw points): one box per cell.
    static member Box(labels: string[], lower: float[], q1: float[], median: float[], q3: float[], upper: float[], title: string, xTitle: string, yTitle: string) : string =
        Setup.ensure ()
        let keys, level = Text.labels labels
        let trace =
            Trace2D.initBoxPlot (
                Trace2DStyle.BoxPlot(X = keys, Q1 = conv q1, Median = conv median, Q3 = conv q3, LowerFence = conv lower, UpperFence = conv upper, Name = yTitle)
            )
        Figures.Finish(GenericChart.ofTraceObject true trace, title, xTitle, yTitle, level)

    /// Fitted lines y = intercept + slope * x over [xMin, xMax], one per released cell.
    static member Regression(labels: string[], intercepts: float[], slopes: float[], xMin: float, xMax: float, title: string, xTitle: string, yTitle: string) : string =
        Setup.ensure ()
        let lines =
            [ for k in 0 .. labels.Length - 1 ->
                let fit x = intercepts.[k] + slopes.[k] * x
                Chart.Line(x = [ xMin; xMax ], y = [ fit xMin; fit xMax ], Name = labels.[k], ShowMarkers = false) ]
        Figures.Finish(Chart.combine lines, title, xTitle, yTitle)

    /// Regression coefficients as points with error bars of the given half-widths (a 95% interval), one per term.
    static member Coefficients(terms: string[], coefficients: float[], halfWidths: float[], title: string) : string =
        Setup.ensure ()
        let chart =
            Chart.Point(x = terms, y = coefficients, Name = "coefficient")
            |> Chart.withYError (Error.init<float, float> (Type = StyleParam.ErrorType.Data, Array = halfWidths))
        Figures.Finish(chart, title, "term", "coefficient (95% interval)")

    /// The plotly.js bundle Plotly.NET embeds (the version its figures target), for drawing offline.
    static member PlotlyJs() : string =
        let asm = typeof<GenericChart>.Assembly
        let name = asm.GetManifestResourceNames() |> Array.find (fun n -> n.EndsWith(".min.js", StringComparison.Ordinal))
        use stream = asm.GetManifestResourceStream name
        use reader = new StreamReader(stream)
        reader.ReadToEnd()

    /// The version of that bundle, e.g. "2.28.0".
    static member PlotlyJsVersion() : string =
        let asm = typeof<GenericChart>.Assembly
        let name = asm.GetManifestResourceNames() |> Array.find (fun n -> n.EndsWith(".min.js", StringComparison.Ordinal))
        name.Replace("Plotly.NET.plotly-", "").Replace(".min.js", "")
