using System.Text.Json.Nodes;
using Smpc.Governance.DataUse;
using static System.FormattableString;

namespace Smpc.Governance;

/// <summary>
/// A terms version as a W3C ODRL 2.2 policy (Information Model and Vocabulary, W3C Recommendation 2018-02-15) in
/// JSON-LD, <c>@context</c> <c>http://www.w3.org/ns/odrl.jsonld</c>, a policy of type <c>Set</c>. Each rule carries a
/// uid ending in its clause so a reader can trace it back:
/// <list type="bullet">
/// <item>(a) <c>:use</c> permission <c>use</c> (purpose, project recipients, expiry); <c>:redisclosure</c> prohibition
/// <c>distribute</c> when internal use only, else permission <c>distribute</c> to the listed recipients.</item>
/// <item>(b) <c>:metadata</c> permission <c>read</c> of the schema and metadata; <c>:full-dataset</c> permission or
/// prohibition <c>read</c> of the rows; <c>:synthetic</c> permission or prohibition <c>derive</c>.</item>
/// <item>(c) <c>:analysis</c> permission <c>aggregate</c> (prohibition when metadata only) constrained by analysts,
/// operations, columns, storage location (<c>spatial</c>) and expiry, with the duties <c>anonymize</c> (minimum cell
/// size, rounding, p% rule, ε budget), <c>delete</c> (the shares, after expiry) and, when the terms require it,
/// <c>urn:smpc:terms:outputReview</c> (the data steward reviews releases, of the listed operations, before delivery).</item>
/// </list>
/// Terms the ODRL vocabulary has no word for are absolute IRIs under <c>urn:smpc:terms:</c> (valid JSON-LD without a
/// context entry). An empty recipient list is a prohibition, never a permission with no one in it.
/// </summary>
public static class OdrlPolicy
{
    public const string Context = "http://www.w3.org/ns/odrl.jsonld";
    public const string Ns = "urn:smpc:terms:";
    const string XsdDate = "http://www.w3.org/2001/XMLSchema#date";

    public static JsonObject Of(Dataset dataset, TermsVersion version)
    {
        var t = TermsClauses.Of(version.Terms);
        string target = $"urn:smpc:dataset:{dataset.StudyId}:{dataset.Name}";
        string uid = $"urn:smpc:terms:{version.Hash}";
        var permissions = new JsonArray();
        var prohibitions = new JsonArray();
        JsonObject Rule(string clause, string action, string on, params JsonObject?[] constraints)
        {
            var rule = new JsonObject { ["uid"] = $"{uid}:{clause}", ["target"] = on, ["action"] = action };
            var cs = constraints.Where(c => c is not null).ToArray();
            if (cs.Length > 0) rule["constraint"] = new JsonArray(cs.Select(c => (JsonNode)c!).ToArray());
            return rule;
        }
        void Either(string clause, string action, string on, IReadOnlyList<string> recipients)
        {
            if (recipients.Count == 0) prohibitions.Add(Rule(clause, action, on));
            else permissions.Add(Rule(clause, action, on, AnyOf("recipient", recipients)));
        }
        JsonObject? Expires() => t.Controls.Expires is { } d ? Constraint("dateTime", "lteq", Date(d)) : null;   // a node has one parent: a new one per rule

        // (a) use inside the project, redisclosure outside it
        permissions.Add(Rule("use", "use", target, Constraint("purpose", "eq", t.Purpose),
            t.Use.AnyProjectPartner ? Constraint("recipient", "eq", Ns + "studyPartners") : AnyOf("recipient", t.Use.ProjectRecipients), Expires()));
        if (t.Use.InternalUseOnly) prohibitions.Add(Rule("redisclosure", "distribute", target));
        else Either("redisclosure", "distribute", target, t.Use.RedisclosureTo);
        // (b) schema and metadata vs the full dataset, synthetic versions included
        Either("metadata", "read", target + "#metadata", t.Access.Metadata);
        Either("full-dataset", "read", target + "#rows", t.Access.FullDataset);
        Either("synthetic", "derive", target + "#synthetic", t.Access.Synthetic);
        // (c) who, where, under what controls, until when
        var c = t.Controls;
        var analysis = Rule("analysis", "aggregate", target,
            AnyOf("recipient", c.Analysts), AnyOf(Ns + "operation", c.Operations),
            c.Columns.Count > 0 ? AnyOf(Ns + "column", c.Columns) : null,
            c.StorageLocation is { } where ? Constraint("spatial", "eq", where) : null, Expires());
        if (t.Access.Level == AccessLevel.MetadataOnly) prohibitions.Add(analysis);
        else
        {
            var anonymize = new JsonObject
            {
                ["action"] = "anonymize",
                ["constraint"] = new JsonArray(new[]
                {
                    Constraint(Ns + "minCellSize", "gteq", c.MinCellSize), Constraint(Ns + "roundingBase", "eq", c.RoundingBase),
                    c.DominanceP is { } p ? Constraint(Ns + "dominanceP", "eq", p) : null,
                    c.EpsilonBudget is { } e ? Constraint(Ns + "epsilon", "lteq", e) : null,
                }.Where(x => x is not null).Select(x => (JsonNode)x!).ToArray()),
            };
            var duties = new JsonArray(anonymize);
            if (c.Expires is { } end)
                duties.Add(new JsonObject
                {
                    ["action"] = "delete", ["target"] = target + "#shares",
                    ["constraint"] = new JsonArray(Constraint("dateTime", "gt", Date(end))),
                });
            if (c.Review is { } review)
                duties.Add(new JsonObject
                {
                    ["action"] = Ns + "outputReview", ["target"] = target + "#releases",
                    ["constraint"] = new JsonArray(new[]
                    {
                        Constraint(Ns + "reviewer", "eq", Ns + "dataSteward"),
                        review.Operations is { } ops ? AnyOf(Ns + "operation", ops) : null,
                    }.Where(x => x is not null).Select(x => (JsonNode)x!).ToArray()),
                });
            analysis["duty"] = duties;
            permissions.Add(analysis);
        }
        var policy = new JsonObject
        {
            ["@context"] = Context,
            ["@type"] = "Set",
            ["uid"] = uid,
            [Ns + "dataset"] = dataset.Name,
            [Ns + "steward"] = t.Steward,
            [Ns + "version"] = version.Version,
            [Ns + "formatVersion"] = t.FormatVersion,
            ["permission"] = permissions,
        };
        if (prohibitions.Count > 0) policy["prohibition"] = prohibitions;
        return policy;
    }

    static JsonObject Date(DateOnly d) => new() { ["@value"] = Invariant($"{d:yyyy-MM-dd}"), ["@type"] = XsdDate };

    static JsonObject Constraint(string left, string op, JsonNode? right) =>
        new() { ["leftOperand"] = left, ["operator"] = op, ["rightOperand"] = right };

    static JsonObject AnyOf(string left, IReadOnlyList<string> values) =>
        Constraint(left, "isAnyOf", new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()));
}
