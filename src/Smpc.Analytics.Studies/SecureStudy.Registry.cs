using Smpc.Analytics.Studies.Registry;

namespace Smpc.Analytics.Studies;

public sealed partial class SecureStudy
{
    /// <summary>A client of the study registry at <paramref name="url"/> with a personal access token: my studies
    /// (status per organisation) and my actions (how long each has waited). Only https, or http to a loopback
    /// address, carries the token.</summary>
    public static RegistryClient ConnectRegistry(string url, string token) => new(url, token);
}
