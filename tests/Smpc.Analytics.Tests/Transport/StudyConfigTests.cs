using Smpc.Analytics.Session;

namespace Smpc.Analytics.Tests.Transport;

/// <summary>study.json round trip and the errors a broken config gives.</summary>
public sealed class StudyConfigTests
{
    [Fact]
    public void A_generated_config_round_trips_and_resolves_paths_next_to_it()
    {
        using var study = new TlsTestStudy("config-test", [47010, 47011, 47012]);
        var loaded = StudyConfig.Load(Path.Combine(study.Directory, "study.json"));
        Assert.Equal("config-test", loaded.Study);
        Assert.Equal([47010, 47011, 47012], loaded.Parties.Select(p => p.Port));
        Assert.Equal(Path.Combine(study.Directory, "party-1.key"), loaded.Resolve(loaded.Party(1).Key));
        Assert.Equal("127.0.0.1:47012", loaded.EndPoint(2).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => loaded.Party(3));
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("""{"study":"s","ca":"ca.crt","parties":[{"id":0,"host":"h","port":1,"certificate":"c","key":"k"}],"analyst":{"certificate":"a","key":"b"}}""", "must list exactly three compute parties; it lists 1")]
    [InlineData("""{"study":"s","ca":"ca.crt","parties":[{"id":0,"host":"h","port":1,"certificate":"c","key":"k"},{"id":0,"host":"h","port":2,"certificate":"c","key":"k"},{"id":2,"host":"h","port":3,"certificate":"c","key":"k"}],"analyst":{"certificate":"a","key":"b"}}""", "party ids must be 0, 1 and 2, each once; party 0 appears 2 times")]
    [InlineData("""{"study":"s","ca":"ca.crt","parties":[{"id":0,"host":"h","port":1,"certificate":"c","key":"k"},{"id":1,"host":"h","port":70000,"certificate":"c","key":"k"},{"id":2,"host":"h","port":3,"certificate":"c","key":"k"}],"analyst":{"certificate":"a","key":"b"}}""", "party 1's port 70000 is outside 1..65535")]
    public void A_broken_config_is_refused_naming_the_problem(string json, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"smpc-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var e = Assert.Throws<SmpcException>(() => StudyConfig.Load(path));
            Assert.Contains(expected, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_missing_config_or_key_file_is_named()
    {
        var e = Assert.Throws<SmpcException>(() => StudyConfig.Load("/nonexistent/study.json"));
        Assert.Contains("'/nonexistent/study.json' does not exist", e.Message);
        using var study = new TlsTestStudy("config-test");
        File.Delete(Path.Combine(study.Directory, "party-2.key"));
        var missing = Assert.Throws<SmpcException>(() => study.Credentials(Analytics.Transport.StudyMember.Party(2)));
        Assert.Contains("private key of party 2", missing.Message);
    }
}
