namespace Smpc.Governance;

/// <summary>What a person may ask to do to a study. <see cref="StudyPermissions.Check"/> decides each one; the registry
/// tags every endpoint with one of these (or a non-study rule) and its authorisation test enumerates them.</summary>
public enum StudyAction
{
    /// <summary>See the study, its stage, criteria and history: its members and the points of contact of its organisations.</summary>
    View,
    /// <summary>Add members, datasets; move the study to its next stage: the coordinator.</summary>
    Coordinate,
    /// <summary>Write a new terms version of a dataset: a steward of the dataset's organisation.</summary>
    DocumentTerms,
    /// <summary>Approve a dataset's current terms version: a steward of the dataset's organisation.</summary>
    ApproveTerms,
    /// <summary>Record a dataset's upload receipt: a steward of the dataset's organisation.</summary>
    RecordUpload,
    /// <summary>Record an organisation's commitment: that organisation's point of contact.</summary>
    RecordCommitment,
    /// <summary>Attest that an organisation's shares are destroyed: a compute operator of that organisation.</summary>
    AttestDestruction,
    /// <summary>Obtain a work token to compute on the study's data: the study's analysts.</summary>
    Analyse,
    /// <summary>Append to the study's transparency log what a compute party computed (a query, release or refusal):
    /// the study's compute operators.</summary>
    LogComputation,
    /// <summary>See a release held for review on a dataset whose terms require it, and approve or reject it: a steward
    /// of the dataset's organisation.</summary>
    ReviewRelease,
    /// <summary>Revoke a work token the registry issued for the study, so its compute parties refuse it: the study's
    /// coordinator, the analyst it was issued to (the endpoint checks that it is theirs), or a registry administrator
    /// (the one study action an administrator holds without a study role: a lost laptop must not wait for a member).</summary>
    RevokeWorkToken,
}
