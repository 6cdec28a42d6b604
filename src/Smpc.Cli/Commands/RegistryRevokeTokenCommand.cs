using System.CommandLine;
using Smpc.Analytics.Studies.Registry;

namespace Smpc.Cli.Commands;

/// <summary>`smpc registry revoke-token --registry URL --study ID --token-id ID [--token PAT]`: revokes a work token at the
/// registry (the analyst it was issued to, the study's coordinator or an administrator), so the study's registry-gated
/// compute parties refuse it (rule TokenRevoked) without their configuration being edited.</summary>
internal static class RegistryRevokeTokenCommand
{
    public static Command Create()
    {
        var registry = new Option<string>("--registry") { Description = "URL of the registry (e.g. http://127.0.0.1:5080); https unless on loopback.", Required = true };
        var study = new Option<string>("--study") { Description = "The study's id in the registry.", Required = true };
        var tokenId = new Option<string>("--token-id") { Description = "The work token's id (the \"id\" the registry returned with it, also in the study's log).", Required = true };
        var token = new Option<string?>("--token") { Description = $"A personal access token of the registry (smpc_pat_…) or your identity provider's token; default: the {RegistryListCommands.TokenVariable} environment variable, else the token `smpc registry login` saved." };
        var command = new Command("revoke-token", "Revoke a work token at the registry (a lost laptop, an analyst who left): the study's registry-gated compute parties refuse it from their next request on (rule TokenRevoked). The analyst it was issued to, the study's coordinator or an administrator may.")
        {
            registry, study, tokenId, token,
        };
        command.SetAction(async (result, cancel) =>
        {
            try
            {
                using var client = new RegistryClient(result.GetValue(registry)!, result.GetValue(token) ?? Environment.GetEnvironmentVariable(RegistryListCommands.TokenVariable) ?? RegistryClient.SavedToken() ?? "");
                var revoked = await client.RevokeWorkTokenAsync(result.GetValue(study)!, result.GetValue(tokenId)!, cancel);
                await Console.Out.WriteLineAsync($"Work token {revoked.TokenId} is revoked (by {revoked.RevokedBy} at {revoked.RevokedAt:yyyy-MM-dd HH:mm:ss}Z; log entry {revoked.LogIndex}). The study's registry-gated compute parties refuse it from their next request on.");
                return 0;
            }
            catch (RegistryException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
        });
        return command;
    }
}
