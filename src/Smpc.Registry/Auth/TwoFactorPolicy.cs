using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Data;

namespace Smpc.Registry.Auth;

/// <summary>
/// Who must use two-factor sign-in: anyone who is a coordinator or a data steward in any study (they decide what data
/// is used and by whom). Such a person without an enrolled authenticator is sent to <see cref="EnrolmentPath"/> and can
/// do nothing else, on pages or through the API, until enrolled. A person becomes subject to it as soon as they take
/// one of these roles (including by creating a study).
/// </summary>
public static class TwoFactorPolicy
{
    public const string EnrolmentPath = "/account/two-factor";

    public static readonly StudyRole[] Roles = [StudyRole.Coordinator, StudyRole.DataSteward];

    public static Task<bool> RequiredAsync(RegistryDb db, Guid personId, CancellationToken ct = default) =>
        db.StudyMembers.AnyAsync(m => m.PersonId == personId && (m.Role == StudyRole.Coordinator || m.Role == StudyRole.DataSteward), ct);

    /// <summary>True when the person must have two-factor and their account has none enrolled.</summary>
    public static async Task<bool> MissingAsync(RegistryDb db, Guid personId, CancellationToken ct = default)
    {
        bool enrolled = await db.Users.AsNoTracking().Where(u => u.PersonId == personId).Select(u => u.TwoFactorEnabled).FirstOrDefaultAsync(ct);
        return !enrolled && await RequiredAsync(db, personId, ct);
    }
}
