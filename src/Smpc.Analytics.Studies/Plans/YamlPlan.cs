using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Smpc.Analytics.Studies.Plans;

/// <summary>
/// A study plan written in YAML (<c>*.plan.yaml</c>, <c>*.plan.yml</c>): read into YAML nodes (no reflection), turned
/// into the JSON the plan format defines — mappings to objects, sequences to arrays, plain scalars that read as numbers,
/// true/false or null to those, everything else (and every quoted scalar) to strings — and then read by the same
/// source-generated reader and checks as a JSON plan. Each JSON path remembers its YAML line and column, so a problem
/// is reported where the author wrote it.
/// </summary>
internal static class YamlPlan
{
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The plan as JSON text, and the 1-based line and column of every JSON path.</summary>
    public static (string Json, IReadOnlyDictionary<string, (long Line, long Column)> Where) ToJson(string file, string text)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new PlanException(file, "$", $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"); }
        if (stream.Documents.Count != 1) throw new PlanException(file, "$", $"a plan is one YAML document; the file holds {stream.Documents.Count}");
        var where = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
            Write(json, stream.Documents[0].RootNode, "$", where);
        return (Encoding.UTF8.GetString(buffer.ToArray()), where);
    }

    static void Write(Utf8JsonWriter json, YamlNode node, string path, Dictionary<string, (long, long)> where)
    {
        where[path] = (node.Start.Line, node.Start.Column);
        switch (node)
        {
            case YamlMappingNode map:
                json.WriteStartObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    json.WritePropertyName(name);
                    Write(json, value, $"{path}.{name}", where);
                }
                json.WriteEndObject();
                break;
            case YamlSequenceNode list:
                json.WriteStartArray();
                for (int i = 0; i < list.Children.Count; i++) Write(json, list.Children[i], $"{path}[{i}]", where);
                json.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                var v = scalar.Value ?? "";
                if (scalar.Style != ScalarStyle.Plain) json.WriteStringValue(v);
                else if (v is "" or "~" or "null") json.WriteNullValue();
                else if (v is "true" or "false") json.WriteBooleanValue(v == "true");
                else if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !v.StartsWith('+') && !v.EndsWith('.'))
                {
                    if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) json.WriteNumberValue(l);
                    else json.WriteNumberValue(d);
                }
                else json.WriteStringValue(v);
                break;
            default:
                throw new PlanException("plan", path, $"a YAML node of kind {node.NodeType} is not part of the plan format");
        }
    }

    /// <summary>The YAML position of <paramref name="path"/> or of its nearest enclosing field.</summary>
    public static string Locate(IReadOnlyDictionary<string, (long Line, long Column)> where, string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
            if (where.TryGetValue(p, out var at)) return $"line {at.Line}, column {at.Column}";
        return "";
    }

    static string Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? (path == "$" ? "" : "$") : path[..cut];
    }
}
