using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Auth;
using Smpc.Registry.Data;
using Smpc.Registry.Mail;

namespace Smpc.Registry.Hosting;

/// <summary>
/// Invitations: a point of contact (or administrator) invites a person into their organisation, or a coordinator
/// invites one into a study with a role. The invitee gets a mail with a one-time link (<c>/account/invitation?token=…</c>);
/// only the token's SHA-256 is stored. Accepting creates the person and account (with the password they choose) and the
/// study role, all in one transaction; an expired or used link is refused and nothing is created.
/// </summary>
public static class Invitations
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Records the invitation and mails the link; if the mail cannot be sent, the invitation is removed again.</summary>
    public static async Task<Invitation> SendAsync(RegistryDb db, RegistryMail mail, string baseUrl, Person inviter, Organisation organisation,
        string email, string name, Study? study, StudyRole? role, DateTime now, CancellationToken ct = default)
    {
        email = (email ?? "").Trim().ToLowerInvariant();
        name = (name ?? "").Trim();
        if (name.Length == 0) throw new ArgumentException("An invitation needs the person's name.");
        if (!MailAddress.TryCreate(email, out var address) || address.Address != email) throw new ArgumentException($"'{email}' is not an email address.");
        if ((study is null) != (role is null)) throw new ArgumentException("A study invitation needs both the study and the role.");
        if (await db.People.AnyAsync(p => p.Email == email, ct)) throw new InvalidOperationException($"{email} already has an account.");
        string token = OneTimeTokens.New();
        var invitation = new Invitation
        {
            Email = email, Name = name, OrganisationId = organisation.Id, StudyId = study?.Id, Role = role, InvitedById = inviter.Id,
            TokenHash = OneTimeTokens.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime,
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(ct);
        string link = $"{baseUrl.TrimEnd('/')}/account/invitation?token={token}";
        string what = study is null ? $"to the study registry as a member of {organisation.Name}" : $"to the study '{study.Title}' as {role} for {organisation.Name}";
        try
        {
            await mail.SendAsync(email, "Invitation to the study registry",
                $"Dear {name},\n\n{inviter.Name} invites you {what}.\n\nChoose your password here (the link works once, until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC):\n{link}\n\nIf you did not expect this, ignore this message.\n", ct);
        }
        catch (Exception e) when (e is SmtpException or IOException or InvalidOperationException)
        {
            db.Invitations.Remove(invitation);
            await db.SaveChangesAsync(CancellationToken.None);
            throw new MailNotSentException("The invitation mail could not be sent; nothing was recorded. Check the registry's mail settings.", e);
        }
        return invitation;
    }

    /// <summary>The open invitation a token names, or why it cannot be used.</summary>
    public static async Task<(Invitation? Invitation, string? Refusal)> FindAsync(RegistryDb db, string? token, DateTime now, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token)) return (null, "This invitation link is not valid.");
        string hash = OneTimeTokens.Hash(token.Trim());
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null) return (null, "This invitation link is not valid.");
        if (invitation.AcceptedAt is not null) return (null, "This invitation has already been used. Sign in, or ask for a new one.");
        if (invitation.ExpiresAt <= now) return (null, "This invitation has expired. Ask the person who invited you for a new one.");
        return (invitation, null);
    }

    /// <summary>Accepts the invitation: person, account and study role in one transaction; the account's user.</summary>
    public static async Task<RegistryUser> AcceptAsync(RegistryDb db, UserManager<RegistryUser> users, StudyRepository studies, Invitation invitation,
        string password, DateTime now, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var organisation = await db.Organisations.FirstAsync(o => o.Id == invitation.OrganisationId, ct);
        var (person, user, _) = await Accounts.CreateAsync(db, users, organisation, invitation.Name, invitation.Email, password: password);
        if (invitation.StudyId is { } studyId && invitation.Role is { } role)
        {
            var study = await studies.FindAsync(studyId, ct) ?? throw new InvalidOperationException("The study of this invitation no longer exists.");
            var inviter = await db.People.AsNoTracking().FirstAsync(p => p.Id == invitation.InvitedById, ct);
            StudyLifecycle.AddMember(study, Actor.Of(inviter), person, role, now);
        }
        invitation.AcceptedAt = now;
        invitation.PersonId = person.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return user;
    }
}

/// <summary>The registry could not hand a message to its pickup folder or SMTP server.</summary>
public sealed class MailNotSentException(string message, Exception inner) : Exception(message, inner);
