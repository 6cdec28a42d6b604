using System.Globalization;
using System.Net;
using System.Text;
using Smpc.Analytics.Studies.Registry;

namespace Smpc.Analytics.Interactive.Display;

/// <summary>What <c>#!secure-study --registry</c> shows: my studies (stage, roles, each organisation's status and what
/// it owes) and my actions (how long each has waited), as HTML tables. Every value is HTML-encoded.</summary>
public static class RegistryHtml
{
    public static string Of(Uri registry, IReadOnlyList<RegistryStudy> studies, IReadOnlyList<RegistryAction> actions)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder("<div class=\"smpc smpc-registry\"><p>Registry <code>").Append(E(registry.ToString())).Append("</code></p>");
        sb.Append("<p><b>My studies</b></p>");
        if (studies.Count == 0) sb.Append("<p>You are in no study.</p>");
        else
        {
            sb.Append("<table><tr><th>study</th><th>stage</th><th>my roles</th><th>organisations</th></tr>");
            foreach (var s in studies)
            {
                sb.Append("<tr><td style=\"text-align:left\">").Append(E(s.Title));
                if (s.Conflicts > 0) sb.Append(CultureInfo.InvariantCulture, $" <b>({s.Conflicts} conflict(s) with the terms)</b>");
                sb.Append("</td><td>").Append(E(s.Stage)).Append("</td><td>").Append(E(string.Join(", ", s.MyRoles))).Append("</td><td style=\"text-align:left\">");
                foreach (var o in s.Organisations)
                {
                    sb.Append("<div>").Append(E(o.Name)).Append(": ").Append(o.Committed ? "committed" : "not committed");
                    if (o.Datasets.Count > 0) sb.Append(CultureInfo.InvariantCulture, $"; terms approved {o.Datasets.Count(d => d.Approved)}/{o.Datasets.Count}");
                    if (o.Owes.Count > 0) sb.Append(" — owes: ").Append(E(string.Join("; ", o.Owes)));
                    sb.Append("</div>");
                }
                sb.Append("</td></tr>");
            }
            sb.Append("</table>");
        }
        sb.Append("<p><b>My actions</b></p>");
        if (actions.Count == 0) sb.Append("<p>Nothing is waiting on you.</p>");
        else
        {
            sb.Append("<table><tr><th>waiting</th><th>study</th><th>what</th></tr>");
            foreach (var a in actions)
                sb.Append("<tr><td>").Append(E(RegistryTables.Waited(a.WaitingDays))).Append("</td><td style=\"text-align:left\">").Append(E(a.Study))
                  .Append("</td><td style=\"text-align:left\">").Append(E(a.Text)).Append("</td></tr>");
            sb.Append("</table>");
        }
        return sb.Append("</div>").ToString();
    }
}
