using Microsoft.AspNetCore.Identity;
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
}
