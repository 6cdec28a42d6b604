using Microsoft.DotNet.Interactive.Directives;
using Smpc.Analytics.Interactive.Api;
using Smpc.Analytics.Interactive.Charts;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>The magics' definitions: names, parameters and help text (what <c>#!secure-… -h</c> and completions show).</summary>
public static class Directives
{
    public static KernelActionDirective Study() => new("#!secure-study")
    {
        Description = "Opens a secure study: three compute parties that hold secret shares of the contributed datasets. " +
                      "'--open demo' or '--open synthetic' runs the three parties in this kernel's process; '--config study.json' " +
                      "connects to three party processes (smpc party --serve) over TLS instead.",
        Parameters =
        [
            new KernelDirectiveParameter("--open", "Data of the study: 'demo' (generated veterans and bank customers, with plaintext for checks) or " +
                                                   "'synthetic' (the veterans, bank and survey agencies of data/synthetic, each under its own data-use terms).")
                .AddCompletions(() => SecureStudyCommand.Studies),
            new KernelDirectiveParameter("--config", "Path of a study configuration (study.json from 'smpc certs'): run on its three party processes, " +
                                                     "connecting with the analyst's certificate; this notebook contributes the --open data (default demo)."),
            new KernelDirectiveParameter("--data", "With --open synthetic: the folder of the agency files (default: data/synthetic above the working directory)."),
            new KernelDirectiveParameter("--name", "Name of the study and of the C# variable that holds it (default: the --open name)."),
            HelpParameter(),
            new KernelDirectiveParameter("--rows", "Demo only: number of veterans to generate (default 2000; the bank has about 1.2 times as many customers)."),
            new KernelDirectiveParameter("--seed", "Demo only: seed of the synthetic data generator (default 2026)."),
        ],
    };

    public static KernelActionDirective Join() => new("#!secure-join")
    {
        Description = "Links two datasets of a study on a pseudonymised key inside the computation. The result is a new secret " +
                      "dataset; only row counts are revealed (see the footer for what went to whom).",
        Parameters =
        [
            new KernelDirectiveParameter("--study", "Study to use (default: the last study opened)."),
            new KernelDirectiveParameter("--left", "Required: the first dataset, e.g. veterans."),
            new KernelDirectiveParameter("--right", "Required: the second dataset, e.g. bank."),
            new KernelDirectiveParameter("--on", "Required: the key column, a pseudonym column present in both datasets, e.g. ssn."),
            new KernelDirectiveParameter("--name", "Name of the joined dataset and of the C# variable describing the join (default: <left>_<right>)."),
            HelpParameter(),
        ],
    };

    public static KernelActionDirective Aggregate() => new("#!secure-aggregate")
    {
        Description = "Computes a statistic over a dataset of a study. Disclosure control runs inside the computation: cells " +
                      "below the minimum cell size are shown as 'suppressed' and are never revealed. Shows a table, a chart, and " +
                      "a footer with rows used, rounds, bytes, time and what was revealed to whom; the result is also a C# variable.",
        Parameters =
        [
            new KernelDirectiveParameter("--study", "Study to use (default: the last study opened)."),
            new KernelDirectiveParameter("--dataset", "Required: the dataset to aggregate, a contributed dataset or the result of #!secure-join."),
            new KernelDirectiveParameter("--stat", $"Statistic: {string.Join(", ", StatisticNames.All)} (default count).")
                .AddCompletions(() => StatisticNames.All),
            new KernelDirectiveParameter("--column", "Numeric column the statistic summarises (the outcome for regression)."),
            new KernelDirectiveParameter("--group-by", "Categorical column(s) defining the cells, comma-separated, at most two (e.g. state,era)."),
            new KernelDirectiveParameter("--bins", "Histogram only: ascending public bin edges, comma-separated (e.g. 0,500,1000,2000)."),
            new KernelDirectiveParameter("--predictor", "Regression only: the predictor column."),
            new KernelDirectiveParameter("--chart", $"Chart of the released cells: {string.Join(", ", ChartKinds.All)} (default auto).")
                .AddCompletions(() => ChartKinds.All),
            new KernelDirectiveParameter("--name", "Name of the C# variable that receives the result (default: result)."),
            HelpParameter(),
        ],
    };

    static KernelDirectiveParameter HelpParameter() => new("--help", "Shows this magic's description and parameters instead of running it.") { Flag = true };

    /// <summary>The help text of a magic as HTML (what --help displays).</summary>
    public static string HelpHtml(KernelActionDirective directive)
    {
        static string E(string s) => System.Net.WebUtility.HtmlEncode(s);
        var sb = new System.Text.StringBuilder("<div class=\"smpc smpc-help\"><p><code>").Append(E(directive.Name)).Append("</code> — ")
            .Append(E(directive.Description ?? "")).Append("</p><table>");
        foreach (var p in directive.Parameters)
            sb.Append("<tr><td style=\"text-align:left\"><code>").Append(E(p.Name)).Append("</code></td><td style=\"text-align:left\">")
              .Append(E(p.Description ?? "")).Append("</td></tr>");
        return sb.Append("</table></div>").ToString();
    }
}
