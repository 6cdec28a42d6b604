using System.Text.Json.Serialization;

namespace Smpc.Governance;

/// <summary>Roles are per study, never global. A data steward acts for the datasets of their own organisation only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StudyRole>))]
public enum StudyRole
{
    Coordinator,
    DataSteward,
    Analyst,
    ComputeOperator,
    Auditor,
}
