using System.Net;
using System.Text;
using Smpc.Analytics.Studies.Parties;

namespace Smpc.Analytics.Interactive.Display;

/// <summary>What a cell shows when its release is held for a data steward's review (terms with outputReview): that
/// nothing of it was shown, whose review it waits for, the release's id, the study's page at the registry, and the magic
/// that fetches it once approved. Every value is HTML-encoded.</summary>
public static class HeldHtml
{
    /// <param name="registry">The registry the notebook signed in to (<c>#!secure-study --registry URL --study ID</c>), or null.</param>
    /// <param name="registryStudy">The study's id at that registry, or null.</param>
    public static string Of(ReleaseUnderReviewException held, Uri? registry, string? registryStudy)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        bool join = held.Operation == PartyRequest.JoinOp;
        var sb = new StringBuilder("<div class=\"smpc smpc-held\"><p><b>Held for review.</b> ")
            .Append(join ? "The join was computed; its counts (joined rows, matches per pass) are" : "The release was computed and is")
            .Append(" held at the study registry, sealed to you and to the reviewing steward, until the data steward approves it. Nothing of it has been shown.</p>");
        if (held.Review.Request is { } request) sb.Append("<p>Request: ").Append(E(request)).Append("</p>");
        sb.Append("<p>Waiting for review by:</p><ul class=\"smpc-reviewers\">");
        foreach (var w in held.WaitingFor) sb.Append("<li>").Append(E(w.Steward)).Append(" — dataset <code>").Append(E(w.Dataset)).Append("</code></li>");
        sb.Append("</ul><p>Release id: <code class=\"smpc-release-id\">").Append(E(held.ReviewId)).Append("</code> (keep it: a later session of this study fetches the release by it).</p>");
        if (registry is not null && registryStudy is not null)
        {
            var page = new Uri(registry, $"studies/{Uri.EscapeDataString(registryStudy)}");
            sb.Append("<p>Registry: <a href=\"").Append(E(page.AbsoluteUri)).Append("\" target=\"_blank\">the study's page</a> (the steward decides on their dashboard).</p>");
        }
        else sb.Append("<p>Sign in to the study's registry to fetch it: <code>#!secure-study --registry URL --study ID</code>.</p>");
        sb.Append("<p>Fetch it once approved: <code>#!secure-release --id ").Append(E(held.ReviewId)).Append(" --wait 600</code> (waits up to 600 s; without <code>--wait</code> it asks once). ")
          .Append("A rejected release is never shown.</p></div>");
        return sb.ToString();
    }
}
