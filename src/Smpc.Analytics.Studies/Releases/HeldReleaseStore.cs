// The analyst's own store of releases held for a steward's review (terms with outputReview; Parties/ReleaseReviews.cs):
// for each, the review's id, what the three parties answered (whose review it waits for, the digest they logged keyed
// with the analyst's review key, the sequence, the ε spent), the cost, the parties' log entries, and the review key pair
// the copies for the analyst are sealed to. With it, a later session of the same analyst and study — another notebook
// kernel, another process — fetches the release by its id once approved, opens the three parties' copies and checks
// them against the logged digest, as the session that asked would have (SecureStudy.FetchHeld).
// Security: the private key opens only the analyst's own copies of releases held for this analyst, which the registry
// hands out only to the analyst who asked, and only once approved. Each record is a file readable by its owner only
// (0600, in a 0700 folder), like the registry token `smpc registry login` saves. A rejected release's record is
// deleted; an approved one is kept so that it can be fetched again (delete it with Remove).
using System.Text.Json;
using Smpc.Analytics.Studies.Parties;

namespace Smpc.Analytics.Studies;

public sealed class HeldReleaseStore
{
    /// <param name="folder">Where the records are kept (created on the first save, readable by its owner only).</param>
    public HeldReleaseStore(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("A store of held releases needs a folder.", nameof(folder));
        Folder = Path.GetFullPath(folder);
    }

    public string Folder { get; }

    /// <summary>$XDG_CONFIG_HOME/smpc/held-releases (else ~/.config/smpc/held-releases), beside the saved registry token.</summary>
    public static string DefaultFolder => Path.Combine(Path.GetDirectoryName(Registry.RegistryClient.SavedTokenPath)!, "held-releases");

    /// <summary>The analyst's store in <see cref="DefaultFolder"/> (what a study uses unless told otherwise).</summary>
    public static HeldReleaseStore Default => new(DefaultFolder);

    /// <summary>The ids of the releases held for <paramref name="analyst"/> in <paramref name="study"/> that this store keeps.</summary>
    public IReadOnlyList<string> Ids(string study, string analyst) =>
        !Directory.Exists(Folder) ? []
        : [.. Directory.EnumerateFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Where(IsId).Order(StringComparer.Ordinal)
              .Select(Find).OfType<HeldRelease>().Where(h => h.Study == study && h.Analyst == analyst).Select(h => h.Review.ReviewId)];

    /// <summary>Deletes the record of <paramref name="reviewId"/> (its key with it: the release can no longer be opened).</summary>
    public void Remove(string reviewId)
    {
        if (IsId(reviewId)) File.Delete(PathOf(reviewId));
    }

    internal void Save(HeldRelease held)
    {
        if (!IsId(held.Review.ReviewId)) throw new SmpcException($"'{held.Review.ReviewId}' is not a review id (16 to 64 lower-case hex digits).");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Folder);
        else Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string path = PathOf(held.Review.ReviewId), temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, options)) file.Write(PartyWire.Encode(held));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The record of <paramref name="reviewId"/>, or null when this store has none (or cannot read it).</summary>
    internal HeldRelease? Find(string reviewId)
    {
        if (!IsId(reviewId) || !File.Exists(PathOf(reviewId))) return null;
        try { return PartyWire.Decode<HeldRelease>(File.ReadAllBytes(PathOf(reviewId)), "held release"); }
        catch (Exception e) when (e is PartyProtocolException or IOException or UnauthorizedAccessException) { return null; }
    }

    string PathOf(string reviewId) => Path.Combine(Folder, reviewId + ".json");

    internal static bool IsId(string? id) => id is { Length: >= 16 and <= 64 } && id.All(char.IsAsciiHexDigitLower);
}

/// <summary>One release held for review as the analyst keeps it: the study and analyst that asked, the parties' answer,
/// the cost and log entries, and the review key pair its copies for the analyst are sealed to (never shown: no ToString
/// of it prints the private key).</summary>
internal sealed record HeldRelease(string Study, string Analyst, ReviewWire Review, string PublicKey, string PrivateKey, CostWire? Cost,
                                   IReadOnlyList<LogEntryReference> LogEntries, DateTimeOffset At)
{
    public override string ToString() => $"release {Review.ReviewId} of study '{Study}' for {Analyst}, held since {At:u}";
}
