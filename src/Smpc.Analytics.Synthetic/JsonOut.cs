using System.Text.Encodings.Web;
using System.Text.Json;

namespace Smpc.Analytics.Synthetic;

/// <summary>Small helpers over <see cref="Utf8JsonWriter"/> for the ground truth: indented, "\n" line ends, numbers round-trip.</summary>
internal static class JsonOut
{
    public static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,   // keep "’" and "é" readable; the file is UTF-8
    };

    /// <summary>Serialises an engine record (schema, terms) with the engine's options but "\n" line ends on every platform.</summary>
    public static void Save<T>(T value, JsonSerializerOptions engineOptions, string path)
    {
        var options = new JsonSerializerOptions(engineOptions) { NewLine = "\n", Encoder = Options.Encoder };
        File.WriteAllText(path, JsonSerializer.Serialize(value, options) + "\n", CsvWriter.Utf8);
    }

    public static void Counts(this Utf8JsonWriter w, string name, IReadOnlyList<string> domain, long[] counts)
    {
        w.WriteStartObject(name);
        for (int i = 0; i < domain.Count; i++) w.WriteNumber(domain[i], counts[i]);
        w.WriteEndObject();
    }

    /// <summary>Ratios per domain value; null where the denominator is 0.</summary>
    public static void Ratios(this Utf8JsonWriter w, string name, IReadOnlyList<string> domain, double[] numerators, long[] denominators)
    {
        w.WriteStartObject(name);
        for (int i = 0; i < domain.Count; i++)
        {
            if (denominators[i] == 0) w.WriteNull(domain[i]);
            else w.WriteNumber(domain[i], numerators[i] / denominators[i]);
        }
        w.WriteEndObject();
    }

    public static void NumberOrNull(this Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
