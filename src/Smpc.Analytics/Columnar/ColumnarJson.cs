// Source-generated JSON metadata for the schema types, so that reading and writing a schema needs no runtime
// reflection: the libraries work trimmed and in .NET file-based apps (which disable reflection-based serialisation).
// Types not listed here (e.g. data-use terms, which share TableSchema.Json) fall back to reflection where it exists.
using System.Text.Json.Serialization;

namespace Smpc.Analytics.Columnar;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TableSchema))]
internal sealed partial class ColumnarJsonContext : JsonSerializerContext;
