using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Smpc.Governance;
using Smpc.Registry.Data;

namespace Smpc.Registry.Hosting;

/// <summary>Creates a person with a sign-in account in one step (people and accounts are one-to-one).</summary>
public static class Accounts
{
    /// <summary>Adds the person and their account; returns the initial password (generated unless given).</summary>
    public static async Task<(Person Person, RegistryUser User, string Password)> CreateAsync(
        RegistryDb db, UserManager<RegistryUser> users, Organisation organisation, string name, string email, bool isAdmin = false, string? password = null)
    {
        var person = new Person { Name = name.Trim(), Email = email.Trim().ToLowerInvariant(), OrganisationId = organisation.Id, Organisation = organisation };
        db.People.Add(person);
        await db.SaveChangesAsync();
        var user = new RegistryUser { UserName = person.Email, Email = person.Email, EmailConfirmed = true, PersonId = person.Id, IsAdmin = isAdmin, LockoutEnabled = true };
        password ??= Passwords.Generate();
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            db.People.Remove(person);
            await db.SaveChangesAsync();
            throw new ArgumentException($"Account for {email} not created: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
        return (person, user, password);
    }

    /// <summary>
    /// Deactivates a person's account: it can no longer sign in (<see cref="Auth.ActiveAccountConfirmation"/>), its
    /// sessions stop at the next request (the access check reads <see cref="Person.Active"/>; the security stamp changes),
    /// its personal access tokens are revoked, and the person stays in every study's history. False when it already was.
    /// </summary>
    public static async Task<bool> DeactivateAsync(RegistryDb db, UserManager<RegistryUser> users, Person person, DateTime now, CancellationToken ct = default)
    {
        var user = await db.Users.FirstAsync(u => u.PersonId == person.Id, ct);
        if (user.DeactivatedAt is not null && !person.Active) return false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        person.Active = false;
        user.DeactivatedAt = now;
        foreach (var token in await db.PersonalAccessTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ToListAsync(ct)) token.RevokedAt = now;
        await db.SaveChangesAsync(ct);
        var stamp = await users.UpdateSecurityStampAsync(user);
        if (!stamp.Succeeded) throw new InvalidOperationException(string.Join("; ", stamp.Errors.Select(e => e.Description)));
        await tx.CommitAsync(ct);
        return true;
    }
}
