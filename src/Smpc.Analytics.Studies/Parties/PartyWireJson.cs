// Source-generated JSON metadata for the study-level protocol (PartyWire): the analyst's side and the party services
// (also the embedded default's, in every process that opens a study) need no runtime reflection, so they work trimmed
// and in .NET file-based apps. The options (naming, enums as camel-case strings, nullability) stay in PartyWire.Json.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smpc.Analytics.Studies.Parties;

[JsonSerializable(typeof(PartyRequest))]
[JsonSerializable(typeof(PartyReply))]
[JsonSerializable(typeof(DatasetWire[]))]
[JsonSerializable(typeof(JoinWire))]
[JsonSerializable(typeof(ReleaseWire))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(Explanation))]
[JsonSerializable(typeof(Explanation[]))]
[JsonSerializable(typeof(HeldRelease))]
internal sealed partial class PartyWireJson : JsonSerializerContext;
