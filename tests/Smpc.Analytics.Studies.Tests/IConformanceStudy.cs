namespace Smpc.Analytics.Studies.Tests;

/// <summary>
/// What <see cref="StudyConformance"/> runs on: the committed synthetic agencies contributed to a study under test and
/// to the plaintext reference engine, each with veterans ⋈ bank linked as "vb", and the agencies' ground truth.
/// </summary>
public interface IConformanceStudy
{
    /// <summary>The study under test (three parties in this process, or the analyst's connection to three party services).</summary>
    SecureStudy Secure { get; }

    /// <summary>The same agencies on the plaintext reference engine, in this process.</summary>
    SecureStudy Plain { get; }

    JoinRelease SecureJoin { get; }
    JoinRelease PlainJoin { get; }
    SyntheticTruth Truth { get; }

    /// <summary>The pseudonym scheme the contributors applied at upload, or null where they prepare pseudonyms when a
    /// join asks, with the pseudonymiser the join names (keyed hash or the parties' OPRF).</summary>
    string? UploadScheme { get; }

    /// <summary>Rounds among the compute parties per opening to the analyst: 0 where the analyst receives the parties'
    /// views and recombines them (<see cref="Engine.SecureEngine"/>), 1 where the parties open a release among themselves
    /// and each sends it whole (party services).</summary>
    int AnalystRevealRounds { get; }
}
