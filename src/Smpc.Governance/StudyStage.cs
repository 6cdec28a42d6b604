using System.Text.Json.Serialization;

namespace Smpc.Governance;

/// <summary>Stages in order; a study moves one stage forward at a time, only when the entry criteria of the next stage
/// are met (<see cref="StudyLifecycle.UnmetCriteria"/>), and back when approved terms change.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StudyStage>))]
public enum StudyStage
{
    /// <summary>Being set up: datasets, members.</summary>
    Draft,
    /// <summary>Every dataset has data-use terms and a steward.</summary>
    TermsDocumented,
    /// <summary>Every participating organisation's point of contact has recorded its commitment.</summary>
    Commitments,
    /// <summary>Every dataset's steward approved the dataset's current terms version, by its canonical hash.</summary>
    Approved,
    /// <summary>Every dataset has an upload receipt bound to its approved terms.</summary>
    DataCommitted,
    /// <summary>Analyses may run, until the earliest expiry of the datasets' terms.</summary>
    Analysis,
    /// <summary>Every compute party attested that its shares are destroyed.</summary>
    Closed,
}
