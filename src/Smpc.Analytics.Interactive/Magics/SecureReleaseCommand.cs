using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-release</c>: a release held for a steward's review, fetched by its id.</summary>
public sealed class SecureReleaseCommand : KernelDirectiveCommand
{
    public string? Id { get; set; }
    public string? Wait { get; set; }
    public string? Study { get; set; }
    public string? Plot { get; set; }
    public string? Value { get; set; }
    public string? Name { get; set; }
    public bool Help { get; set; }

    /// <summary>Longest --wait: a cell that blocks longer than an hour is better re-run later (the release keeps).</summary>
    public const int MaxWaitSeconds = 3600;

    /// <summary>--wait in seconds, or null (ask once).</summary>
    public int? WaitSeconds => Wait is null ? null : int.Parse(Wait, CultureInfo.InvariantCulture);

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        if (string.IsNullOrWhiteSpace(Id)) yield return "--id is required: the release id a held #!secure-aggregate or #!secure-join showed.";
        if (Wait is not null && (!int.TryParse(Wait, NumberStyles.None, CultureInfo.InvariantCulture, out int wait) || wait < 1 || wait > MaxWaitSeconds))
            yield return $"--wait must be a whole number of seconds from 1 to {MaxWaitSeconds}; got '{Wait}'.";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }
}
