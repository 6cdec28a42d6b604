using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Smpc.Analytics.Studies;

namespace Smpc.Analytics.Interactive.Magics;

/// <summary>Arguments of <c>#!secure-study</c>.</summary>
public sealed class SecureStudyCommand : KernelDirectiveCommand
{
    public string? Open { get; set; }
    public string? Config { get; set; }
    public string? Connect { get; set; }
    public string? Data { get; set; }
    public string? Size { get; set; }
    public string? Seed { get; set; }
    public string? Analyst { get; set; }
    public string? Name { get; set; }
    public string? Registry { get; set; }
    public string? Token { get; set; }
    public string? Study { get; set; }
    public string? Engine { get; set; }
    public string? Pseudonymiser { get; set; }
    public bool Help { get; set; }

    /// <summary>Where --token comes from when it is left out, so the token need not be written into the notebook.</summary>
    public const string TokenVariable = "SMPC_REGISTRY_TOKEN";

    public static readonly IReadOnlyList<string> Sources = ["demo", "synthetic"];

    /// <summary>--engine: the party services in this process (default), the study program on the secure engine itself, or the plaintext reference.</summary>
    public static readonly IReadOnlyList<string> Engines = ["services", "secure", "plaintext"];

    /// <summary>--size as a number (default 2000).</summary>
    public int SizeValue => Names.Integer(Size, "--size") ?? 2000;

    /// <summary>--seed as a number (default 2026).</summary>
    public ulong SeedValue => Seed is null ? 2026UL : ulong.Parse(Seed, System.Globalization.CultureInfo.InvariantCulture);

    public override IEnumerable<string> GetValidationErrors(CompositeKernel kernel)
    {
        if (Help) yield break;
        if (Connect is not null)
        {
            if (Open is not null || Config is not null || Data is not null || Size is not null || Seed is not null || Analyst is not null || Registry is not null || Engine is not null || Pseudonymiser is not null)
                yield return "--connect works on the data held by the party services: it takes no --open, --config, --data, --size, --seed, --analyst, --engine, --pseudonymiser or --registry (your account is the one your certificate proves).";
            if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
            yield break;
        }
        if (Open is null && Config is null && Registry is null)
            yield return "#!secure-study needs --open demo|synthetic (three party services in this process), --config <study.json> (three party processes) or --connect <study.json> (party services holding contributed data), or --registry URL to list your studies and actions.";
        if (Token is not null && Registry is null) yield return "--token only applies with --registry.";
        if (Study is not null && Registry is null) yield return "--study only applies with --registry (the study's id or title in the registry).";
        if (Pseudonymiser is not null)
        {
            if (Config is not null || (Engine is not null && !Engine.Equals("services", StringComparison.OrdinalIgnoreCase)))
                yield return "--pseudonymiser applies to the party services in this process (--open without --engine, or --engine services): there the contributors pseudonymise at upload; on an engine each #!secure-join chooses its own.";
            else if (!PseudonymiserKinds.All.Contains(Pseudonymiser.Trim().ToLowerInvariant()))
                yield return $"Unknown pseudonymiser '{Pseudonymiser}'. Use keyed-hash or oprf.";
        }
        if (Engine is not null && (Config is not null || !Engines.Contains(Engine.ToLowerInvariant())))
            yield return Config is not null ? "--engine applies to a study in this process (--open), not with --config."
                : $"Unknown engine '{Engine}'. Use --engine services (three party services in this process, the default), secure (the study program on the secure engine itself: OPRF joins) or plaintext (the plaintext reference).";
        if (Open is not null && !Sources.Contains(Open.ToLowerInvariant()))
            yield return $"Unknown data '{Open}'. Use --open demo (agencies generated on this machine) or --open synthetic (the files of data/synthetic).";
        bool demo = (Open ?? "demo").Equals("demo", StringComparison.OrdinalIgnoreCase);
        if (Data is not null && !"synthetic".Equals(Open, StringComparison.OrdinalIgnoreCase)) yield return "--data only applies to --open synthetic.";
        if ((Size is not null || Seed is not null) && !demo) yield return "--size and --seed only apply to --open demo.";
        if (Size is not null && (!int.TryParse(Size, out int size) || size < DemoAgencies.MinSize || size > DemoAgencies.MaxSize))
            yield return $"--size must be a whole number between {DemoAgencies.MinSize:N0} and {DemoAgencies.MaxSize:N0}; got '{Size}'.";
        if (Seed is not null && !ulong.TryParse(Seed, out _)) yield return $"--seed must be a non-negative whole number; got '{Seed}'.";
        if (Name is not null && !Names.IsIdentifier(Name)) yield return $"--name '{Name}' is not a valid C# variable name.";
    }
}
