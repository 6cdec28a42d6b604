using System.Globalization;
using System.Text;
using System.Text.Json;
using Smpc.Analytics.Studies.Parties;
using Smpc.Analytics.Transport;

namespace Smpc.Analytics.Studies.Tests;

/// <summary>Three honest party services, started once for the class.</summary>
public sealed class PartyServicesFixture : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "smpc-party-services", Guid.NewGuid().ToString("N"));
    internal PartyServices Services { get; }

    public PartyServicesFixture() => Services = PartyServices.Start(_folder);

    public void Dispose()
    {
        Services.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// A malicious analyst against three honest party services: a client that writes its own frames over its TLS links
/// tries to open a row, a pseudonym, a suppressed cell, a column the terms forbid, to send different requests to
/// different parties and to use an operation that does not exist; an analyst whose certificate the terms do not list
/// tries to use the data. Every attempt is refused with the rule named, and the bytes it received carry no secret.
/// </summary>
public sealed class MaliciousAnalystTests(PartyServicesFixture fixture) : IClassFixture<PartyServicesFixture>
{
    PartyServices Services => fixture.Services;

    sealed record Answer(byte[] Bytes, PartyReply Reply)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);
    }

    static Answer[] Ask(AnalystLink[] links, params byte[][] frames)
    {
        for (int p = 0; p < 3; p++) links[p].Send(frames.Length == 1 ? frames[0] : frames[p]);
        return links.Select(l =>
        {
            while (true)
            {
                var b = l.Receive();
                var reply = JsonSerializer.Deserialize<PartyReply>(b, PartyWire.Json)!;
                if (reply.Progress is null) return new Answer(b, reply);   // progress lines come first; the reply ends the request
            }
        }).ToArray();
    }

    static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    static byte[] Aggregate(string dataset, string statistic, string? column = null, string? groupBy = null, string? filter = null) =>
        PartyWire.Encode(new PartyRequest
        {
            Op = PartyRequest.AggregateOp,
            Aggregate = new AggregateRequest
            {
                Dataset = dataset, Statistics = [StatisticKinds.Parse(statistic)], Columns = column is null ? [] : [column],
                GroupBy = groupBy is null ? [] : [groupBy], Filter = filter,
            },
        });

    static void AssertRefused(Answer[] answers, string rule)
    {
        foreach (var a in answers)
        {
            Assert.False(a.Reply.Ok, a.Text);
            Assert.Equal(rule, a.Reply.Rule);
            Assert.Null(a.Reply.Result);
            Assert.DoesNotContain("\"result\"", a.Text);
        }
    }

    /// <summary>Runs <paramref name="attempts"/> over raw links as <paramref name="account"/>, then ends the job; the links
    /// are closed whatever happens (the parties then end the job together).</summary>
    void AsClient(string account, Action<AnalystLink[]> attempts)
    {
        var links = Services.RawLinks(account);
        try
        {
            attempts(links);
            foreach (var a in Ask(links, Json("{\"op\":\"end\"}"))) Assert.True(a.Reply.Ok);
        }
        finally
        {
            foreach (var l in links) l.Dispose();
        }
        Services.ThrowIfFailed();
    }

    [Fact]
    public void Operations_that_do_not_exist_and_engine_commands_are_refused()
    {
        AsClient(PartyServices.Analyst, links =>
        {
            AssertRefused(Ask(links, Json("{\"op\":\"openVector\"}")), "UnknownOperation");
            AssertRefused(Ask(links, Json("{\"op\":\"reveal\"}")), "UnknownOperation");
            AssertRefused(Ask(links, [0x1A, 1, 0, 0, 0, 0, 0, 0, 0]), "MalformedRequest");                     // a RemoteEngine command frame
            AssertRefused(Ask(links, Json("{\"op\":\"aggregate\",\"aggregate\":{\"dataset\":\"harbour\",\"handle\":7}}")), "MalformedRequest");
            AssertRefused(Ask(links, Json("{\"op\":\"aggregate\",\"aggregate\":{\"dataset\":\"harbour\",\"statistics\":null,\"columns\":[null]}}")), "MalformedRequest");
            AssertRefused(Ask(links, Json("{\"op\":\"join\",\"join\":{\"datasets\":null}}")), "MalformedRequest");
            AssertRefused(Ask(links, Json("{\"op\":\"aggregate\"}")), "MalformedRequest");
            AssertRefused(Ask(links, Json("[]")), "MalformedRequest");
        });
    }

    [Fact]
    public void A_row_is_not_opened_directly_nor_by_differencing_two_filters()
    {
        var harvest = Strangers.ReadCsv(Services.Data.Allotments).Select(r => double.Parse(r["harvest_kg"], CultureInfo.InvariantCulture)).ToList();
        double top = harvest.Max();
        Assert.Equal(1, harvest.Count(h => h >= top));
        string value = top.ToString("0.00", CultureInfo.InvariantCulture);
        AsClient(PartyServices.Analyst, links =>
        {
            // The one row with the largest harvest: its cell is below the minimum size, so nothing of it is released.
            var one = Ask(links, Aggregate("allotments", "mean", "harvest_kg", filter: $"harvest_kg >= {value}"));
            var cell = PartyWire.FromWire(one[0].Reply.Result!.Value.Deserialize<ReleaseWire>(PartyWire.Json)!, PartyWire.Combine(one.Select(a => a.Reply.Cost!).ToArray()));
            Assert.True(cell.IsSuppressed(0));
            Assert.Null(cell.Value(0, "mean(harvest_kg)"));
            Assert.All(one, a => Assert.Equal(one[0].Reply.Result!.Value.GetRawText(), a.Reply.Result!.Value.GetRawText()));
            foreach (var a in one)
            {
                var table = a.Reply.Result!.Value.GetProperty("table").GetRawText();          // the request echoes the filter; the cells must not
                Assert.DoesNotContain(value, table);
                Assert.DoesNotContain(top.ToString("R", CultureInfo.InvariantCulture), table);
                Assert.Contains("\"numbers\":[null]", table);
            }

            // Differencing: all rows, then all rows but that one. The study-wide disclosure model refuses the second.
            var all = Ask(links, Aggregate("allotments", "sum", "harvest_kg"));
            Assert.All(all, a => Assert.True(a.Reply.Ok, a.Text));
            var allButOne = Ask(links, Aggregate("allotments", "sum", "harvest_kg", filter: $"harvest_kg < {value}"));
            AssertRefused(allButOne, "StudyDisclosure");
        });
    }

    [Fact]
    public void A_pseudonym_column_and_a_column_the_terms_forbid_are_refused_before_anything_is_computed()
    {
        AsClient(PartyServices.Analyst, links =>
        {
            var pseudonym = Ask(links, Aggregate("harbour", "mean", "ssn_key"));
            AssertRefused(pseudonym, "QueryValidation");
            Assert.All(pseudonym, a => Assert.Contains("ssn_key", a.Reply.Error));
            // Linked: the join drops pseudonym columns, so even the largest pseudonym of many rows cannot be asked for.
            var join = Ask(links, PartyWire.Encode(new PartyRequest { Op = PartyRequest.JoinOp, Join = new JoinRequest { Datasets = ["harbour", "allotments"], Name = "hp" } }));
            Assert.All(join, a => Assert.True(a.Reply.Ok, a.Text));
            Assert.All(join, a => Assert.DoesNotContain("_key", a.Reply.Result!.Value.GetProperty("columns").GetRawText()));
            AssertRefused(Ask(links, Aggregate("hp", "max", "ssn_key")), "QueryValidation");
            var forbidden = Ask(links, Aggregate("allotments", "mean", "plot_size_m2"));
            AssertRefused(forbidden, "AllowedColumns");
            Assert.All(forbidden, a => Assert.Contains("plot_size_m2", a.Reply.Error));
            Assert.All(forbidden, a => Assert.DoesNotContain("\"cost\"", a.Text));
        });
    }

    [Fact]
    public void A_suppressed_cell_carries_no_value_in_any_party_reply()
    {
        AsClient(PartyServices.Analyst, links =>
        {
            var answers = Ask(links, Aggregate("harbour", "count", groupBy: "county"));
            foreach (var a in answers)
            {
                Assert.True(a.Reply.Ok, a.Text);
                var wire = a.Reply.Result!.Value.Deserialize<ReleaseWire>(PartyWire.Json)!;
                var county = wire.Table.Single(c => c.Name == "county").Text!;
                var status = wire.Table.Single(c => c.Name == "status").Text!;
                var count = wire.Table.Single(c => c.Name == "count").Numbers!;
                int ulvsund = county.ToList().IndexOf("Ulvsund");                        // 3 licence holders: below the minimum of 11
                Assert.Equal("suppressed", status[ulvsund]);
                Assert.Null(count[ulvsund]);
                for (int r = 0; r < status.Count; r++) Assert.Equal(status[r] == "suppressed", count[r] is null);
            }
        });
    }

    [Fact]
    public void Different_requests_to_different_parties_are_refused_by_all_three_and_the_parties_stay_in_step()
    {
        AsClient(PartyServices.Analyst, links =>
        {
            var count = Aggregate("harbour", "count");
            var other = Aggregate("harbour", "count", filter: "crew >= 20");
            AssertRefused(Ask(links, count, count, other), "RequestAgreement");
            AssertRefused(Ask(links, other, count, count), "RequestAgreement");
            var agreed = Ask(links, count);                                            // the same request to all three still runs
            Assert.All(agreed, a => Assert.True(a.Reply.Ok, a.Text));
            Assert.Single(agreed.Select(a => a.Reply.Result!.Value.GetRawText()).Distinct());
        });
    }

    [Fact]
    public void An_analyst_whose_certificate_the_terms_do_not_list_is_refused()
    {
        using (var mallory = SecureStudy.Connect(Services.ConfigPath, Services.Credentials("mallory")))
        {
            Assert.Equal("mallory", mallory.Analyst);
            Assert.Empty(mallory.RemoteDatasets);
            var e = Assert.Throws<StudyRefusedException>(() => mallory.Count("harbour", "county"));
            Assert.Equal("AllowedAnalysts", e.Rule);
            Assert.Contains("mallory", e.Message);
            e = Assert.Throws<StudyRefusedException>(() => mallory.Join("harbour", "allotments", "hm"));
            Assert.Equal("AllowedAnalysts", e.Rule);
            Assert.Empty(mallory.History);
        }
        // The study's default analyst certificate names no account the terms list either.
        using (var anonymous = SecureStudy.Connect(Services.ConfigPath))
            Assert.Equal("AllowedAnalysts", Assert.Throws<StudyRefusedException>(() => anonymous.Mean("harbour", "catch_tonnes")).Rule);
        Services.ThrowIfFailed();
    }
}
