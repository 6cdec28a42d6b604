// Source-generated JSON metadata for study plans: reading a plan needs no runtime reflection, so it works trimmed
// and in .NET file-based apps.
using System.Text.Json.Serialization;

namespace Smpc.Analytics.Studies.Plans;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(StudyPlan))]
internal sealed partial class StudyPlanJson : JsonSerializerContext;
