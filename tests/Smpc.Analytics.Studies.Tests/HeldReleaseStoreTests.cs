using Smpc.Analytics.Studies.Parties;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>The analyst's store of releases held for review: one owner-only file per release, listed per study and
/// analyst, deleted on request; ids that are not review ids never become paths, and an unreadable record is no record.</summary>
public sealed class HeldReleaseStoreTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "smpc-held-store-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
    }

    static HeldRelease Record(string id, string study = "veterans-study", string analyst = "alex") => new(study, analyst,
        new ReviewWire(id, [new ReviewerWire("veterans", "VA data office")], new string('a', 64), 3, 0.5, PartyRequest.JoinOp, "veterans ⋈ bank"),
        "public-key", "private-key", new CostWire(10, 4, 2048, 12.5, []), [new LogEntryReference(0, 7, "https://registry.example/api/studies/s/log/7")], DateTimeOffset.UnixEpoch);

    [Fact]
    public void It_keeps_each_release_in_an_owner_only_file_and_reads_it_back()
    {
        var store = new HeldReleaseStore(_folder);
        var held = Record("0123456789abcdef0123456789abcdef");
        store.Save(held);
        var path = Path.Combine(_folder, held.Review.ReviewId + ".json");
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        }
        var back = store.Find(held.Review.ReviewId)!;
        Assert.Equal(held.Review, back.Review with { WaitingFor = held.Review.WaitingFor });
        Assert.Equal(held.Review.WaitingFor, back.Review.WaitingFor);
        Assert.Equal(held.PrivateKey, back.PrivateKey);
        Assert.Equal(held.LogEntries, back.LogEntries);
        Assert.Equal(held.Cost!.Bytes, back.Cost!.Bytes);
        Assert.DoesNotContain("private-key", back.ToString());                   // a record printed never shows its key
    }

    [Fact]
    public void It_lists_the_releases_of_one_study_and_analyst_and_deletes_on_request()
    {
        var store = new HeldReleaseStore(_folder);
        Assert.Empty(store.Ids("veterans-study", "alex"));                       // no folder yet
        store.Save(Record("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"));
        store.Save(Record("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        store.Save(Record("cccccccccccccccccccccccccccccccc", study: "other-study"));
        store.Save(Record("dddddddddddddddddddddddddddddddd", analyst: "mallory"));
        Assert.Equal(["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"], store.Ids("veterans-study", "alex"));
        store.Remove("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        Assert.Equal(["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"], store.Ids("veterans-study", "alex"));
        Assert.Null(store.Find("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    }

    [Fact]
    public void An_id_that_is_not_a_review_id_is_no_path_and_a_damaged_record_is_no_record()
    {
        var store = new HeldReleaseStore(_folder);
        var bad = Assert.Throws<SmpcException>(() => store.Save(Record("../../etc/passwd")));
        Assert.Contains("is not a review id", bad.Message);
        Assert.Null(store.Find("../../etc/passwd"));
        Assert.Null(store.Find("ABCDEF0123456789ABCDEF0123456789"));             // upper case: not a review id
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.json"), "{ not json");
        Assert.Null(store.Find("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"));
        Assert.Empty(store.Ids("veterans-study", "alex"));
    }
}
