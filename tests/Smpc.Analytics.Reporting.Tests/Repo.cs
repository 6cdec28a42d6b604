namespace Smpc.Analytics.Reporting.Tests;

internal static class Repo
{
    /// <summary>The repository root (the folder holding Smpc.Analytics.sln) above the test binaries.</summary>
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Smpc.Analytics.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Smpc.Analytics.sln not found above {AppContext.BaseDirectory}.");
    }
}
