using System.Text.Json;
using Microsoft.Playwright;

namespace Smpc.Analytics.Reporting.Tests.EndToEnd;

/// <summary>
/// The main job's report as a reader sees it, in a real headless Chromium (Debian's, through Playwright): every chart's
/// title lies inside its figure (not cut off), every category label of the x axis lies inside the figure, clear of its
/// neighbours and above the axis title (rotated labels included), and long reveal lists are summarised. Screenshots of the report and of each
/// chart go to out/test-artifacts/report/ for a reviewer.
/// </summary>
public sealed class ReportLayoutTests(StudyRunFixture run) : IClassFixture<StudyRunFixture>
{
    const string Chromium = "/usr/bin/chromium";
    static readonly string Artifacts = Path.Combine(Repo.Root, "out", "test-artifacts", "report");

    const string Measure = """
        () => [...document.querySelectorAll('.js-plotly-plot')].map(div => {
          const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
          const svg = div.querySelector('svg.main-svg');
          const title = div.querySelector('.gtitle');
          const xtitle = div.querySelector('.g-xtitle text');
          return {
            name: (title && title.textContent) || div.id,
            figure: r(svg),
            title: title ? r(title) : null,
            ticks: [...div.querySelectorAll('.xaxislayer-above .xtick text')].map(t => ({ text: t.textContent, box: r(t) })),
            xtitle: xtitle ? r(xtitle) : null,
          };
        })
        """;

    sealed record Box(double[] B)
    {
        public bool Inside(double[] o) => B[0] >= o[0] - 1 && B[1] >= o[1] - 1 && B[2] <= o[2] + 1 && B[3] <= o[3] + 1;
        public bool Overlaps(double[] o) => B[0] < o[2] - 1 && o[0] < B[2] - 1 && B[1] < o[3] - 1 && o[1] < B[3] - 1;
    }

    [Fact]
    public async Task Chart_titles_and_axis_labels_are_whole_and_clear_of_each_other_in_a_browser()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (scripts/install-deps.sh).");
        Directory.CreateDirectory(Artifacts);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync(new Uri(Path.Combine(run.Output, ReportWriter.ReportHtml)).AbsoluteUri);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= document.querySelectorAll('.smpc-chart').length");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "report.png"), FullPage = true });

        using var charts = JsonDocument.Parse(JsonSerializer.Serialize(await page.EvaluateAsync(Measure)));
        var problems = new List<string>();
        int count = 0;
        foreach (var chart in charts.RootElement.EnumerateArray())
        {
            count++;
            var name = chart.GetProperty("name").GetString();
            var figure = Numbers(chart.GetProperty("figure"));
            if (chart.GetProperty("title").ValueKind != JsonValueKind.Null && !new Box(Numbers(chart.GetProperty("title"))).Inside(figure))
                problems.Add($"'{name}': the title runs outside the figure");
            var xtitle = chart.GetProperty("xtitle").ValueKind == JsonValueKind.Null ? null : Numbers(chart.GetProperty("xtitle"));
            var ticks = chart.GetProperty("ticks").EnumerateArray().Select(t => (Text: t.GetProperty("text").GetString(), Box: new Box(Numbers(t.GetProperty("box"))))).ToArray();
            if (xtitle is not null && ticks.Length > 0 && xtitle[1] < ticks.Max(t => t.Box.B[3]) - 1)
                problems.Add($"'{name}': the axis title is not below its labels");
            for (int a = 0; a + 1 < ticks.Length; a++)
                if (ticks[a].Box.Overlaps(ticks[a + 1].Box.B)) problems.Add($"'{name}': the axis labels '{ticks[a].Text}' and '{ticks[a + 1].Text}' overlap");
            foreach (var tick in chart.GetProperty("ticks").EnumerateArray())
            {
                var box = new Box(Numbers(tick.GetProperty("box")));
                var text = tick.GetProperty("text").GetString();
                if (!box.Inside(figure)) problems.Add($"'{name}': the axis label '{text}' is cut off by the figure's edge");
                if (xtitle is not null && box.Overlaps(xtitle)) problems.Add($"'{name}': the axis label '{text}' runs into the axis title");
            }
        }
        Assert.True(count >= 10, $"only {count} charts were drawn");
        var handles = await page.QuerySelectorAllAsync(".js-plotly-plot");
        for (int i = 0; i < handles.Count; i++)
            await handles[i].ScreenshotAsync(new ElementHandleScreenshotOptions { Path = Path.Combine(Artifacts, $"chart-{i + 1:00}.png") });
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Long_reveal_lists_are_summarised_in_the_report()
    {
        var html = File.ReadAllText(Path.Combine(run.Output, ReportWriter.ReportHtml));
        var lists = System.Text.RegularExpressions.Regex.Matches(html, "<ul class=\"reveals\">(.*?)</ul>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(lists.Count >= 14, $"{lists.Count} reveal lists");
        foreach (System.Text.RegularExpressions.Match list in lists)
        {
            var items = System.Text.RegularExpressions.Regex.Matches(list.Groups[1].Value, "<li>(.*?)</li>").Select(m => m.Groups[1].Value).ToList();
            Assert.True(items.Count <= 8, "a reveal list of more than 8 lines: " + list.Value[..Math.Min(300, list.Value.Length)]);
            var purposes = items.Where(i => i.Contains(" — ", StringComparison.Ordinal)).Select(i => i[(i.IndexOf(" — ", StringComparison.Ordinal) + 3)..] + i[..i.IndexOf(':')]).ToList();
            Assert.Equal(purposes.Count, purposes.Distinct().Count());   // one line per audience and purpose
        }
        Assert.Matches(@"in \d+ reveals — selection/sort: comparison outcomes of shuffled keys", html);   // R13's sort, on one line
    }

    static double[] Numbers(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];
}
