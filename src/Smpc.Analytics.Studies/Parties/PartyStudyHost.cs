// A compute party service's study host: the party runs the study itself — joins, aggregates, the data-use terms and
// disclosure control — on its own shares, in step with the other two parties, and answers the analyst only with
// releases. The analyst sends the same study-level request (PartyWire.cs) to the three parties; each party
//   1. takes the analyst's account from the analyst's TLS certificate (AnalystLink.Account), never from the request;
//   2. agrees with the other two on the request: SHA-256 over (account, the contributed datasets it holds with their
//      upload ids, request bytes) sent to both peers (one round);
//      any difference, or an analyst gone at one party, refuses the request at all three before anything is computed;
//   3. validates and runs it with the same study code as one process (SecureStudy on this party's PartyEngine):
//      unknown columns, forbidden operations, analysts the terms do not allow are refused with the rule named;
//   4. replies with the release (cells that passed disclosure control, status and rule of every cell, released counts).
// The analyst accepts a release only when all three parties sent the same one.
// Security: semi-honest compute parties, honest majority; the analyst may be malicious: it can only ask for joins and
// aggregates, which the parties check themselves. No request opens a row, a pseudonym or any other secret value.
// Leakage: released cells are opened among the three parties as well as sent to the analyst; the requests themselves
// are seen by the parties (LEAKAGE.md, "Party services"). A registry-gated party with a computation log also tells the
// registry what it ran, for whom, and the digest of the result (ComputationLog.cs; LEAKAGE.md, "Transparency log").
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;
using Smpc.Analytics.Session;
using Smpc.Analytics.Statistics;
using Smpc.Governance.DataUse;
using Smpc.Analytics.Transport;
using Smpc.Governance.Transparency;

namespace Smpc.Analytics.Studies.Parties;

public static class PartyStudyHost
{
    const byte Request = 1, Gone = 0;

    /// <summary>
    /// Serves analysts one after another until <paramref name="acceptAnalyst"/> returns null (the service stops).
    /// All three parties call this with the same study name and datasets. Throws when the mesh between the parties breaks.
    /// </summary>
    /// <param name="acceptAnalyst">The next analyst connection (e.g. <see cref="TlsNetwork.AcceptAnalystLink"/>), or null to stop.</param>
    /// <param name="gate">When set, every request must carry a registry work token this gate accepts.</param>
    /// <param name="checkAnalysts">False only for parties in the analyst's own process when the study names no analyst
    /// (SecureStudy.OpenDemo/OpenSynthetic without one): the terms' AllowedAnalysts are then not checked, as documented there.</param>
    /// <param name="started">Called with the party's engine before the first job (the embedded default reads its reveal log and traffic).</param>
    /// <param name="linkKind">The kind of the parties' links when known ("in-process"); null: classified from the measurement.</param>
    public static void Serve(string study, MpcSession session, Func<AnalystLink?> acceptAnalyst, IPartyDatasets datasets, Action<string>? log = null, PartyGate? gate = null,
                             bool checkAnalysts = true, Action<PartyEngine>? started = null, string? linkKind = null)
    {
        var engine = new PartyEngine(session);
        started?.Invoke(engine);
        using var secure = SecureStudy.ForParty(study, engine, datasets.BudgetLedgerPath is { } ledger ? new PrivacyBudgetLedger(ledger) : null);
        void Problem(string dataset, Exception e) => log?.Invoke($"dataset '{dataset}' cannot be loaded yet: {e.Message}");
        secure.AdoptNew(datasets, Problem);
        secure.Link = MeasuredLink.Measure(session, linkKind);     // the links as a protocol sees them, for explanations
        log?.Invoke($"study '{study}': {secure.Datasets.Count} datasets ({string.Join(", ", secure.Datasets.Select(d => d.Name))})");
        gate?.Witnessed(log);   // a party witnesses the registry's log at service start (LogWitness.cs)
        var held = new HeldJoins();   // for the study's life, like the joined tables themselves
        while (acceptAnalyst() is { } link)
            using (link)
            {
                log?.Invoke($"analyst '{link.Account}' connected");
                var catalogue = secure.AdoptNew(datasets, Problem);   // datasets contributed since the last job
                try { RunJob(secure, session, link, catalogue, log, gate, checkAnalysts, held); }
                catch (PeerFailureException e) when (e.Peer is >= 0 and <= 2)
                {
                    link.Abort(e.Peer, e.Message);   // the analyst's error names the party that failed, not this one
                    throw;
                }
            }
    }

    static void RunJob(SecureStudy study, MpcSession session, AnalystLink link, string catalogue, Action<string>? log, PartyGate? gate, bool checkAnalysts, HeldJoins held)
    {
        while (true)
        {
            byte[]? frame;
            try { frame = link.Receive(); }
            catch (PeerFailureException) { frame = null; }
            string? verdict = null, tokenId = null;
            PartyRequest? parsed = null;
            if (gate is not null && frame is not null)
            {
                try { parsed = PartyWire.Decode<PartyRequest>(frame, "request"); }
                catch (Exception e) when (e is not OutOfMemoryException) { parsed = null; }
                verdict = gate.Verdict(parsed, link.Account, study, out tokenId);
            }
            var agreed = Agree(session, link.Account, catalogue + "\n" + (verdict ?? "accepted"), frame);
            if (frame is null || agreed is null)
            {
                log?.Invoke("the analyst left");
                return;
            }
            PartyReply reply;
            bool end = false;
            try
            {
                if (agreed == false && verdict is not null && verdict.StartsWith("LogConsistency:", StringComparison.Ordinal))
                    throw new PartyProtocolException("LogConsistency", verdict[(verdict.IndexOf(':') + 2)..]);   // this party's own reason
                if (agreed == false)
                    throw new PartyProtocolException("RequestAgreement", "The compute parties received different requests (or from different analysts, or hold different contributions); none of them ran it.");
                var request = PartyWire.Decode<PartyRequest>(frame, "request");
                end = request.Op == PartyRequest.End;
                if (verdict is not null)
                    throw new PartyProtocolException(verdict[..verdict.IndexOf(':')], verdict[(verdict.IndexOf(':') + 2)..]);
                var reviewing = Reviewing(study, gate, request, held);   // before computing: a release that could not be held is not computed
                using (OperationProgress.To(IgnoringGoneAnalyst(line => link.Send(PartyWire.Encode(new PartyReply { Ok = true, Progress = line })))))
                    reply = Execute(study, checkAnalysts ? link.Account : null, request, held, log);
                if (reviewing.Count > 0 && reply.Ok) reply = HeldForReview(gate!.Reviews!, session.PartyId, link.Account, request, reply, reviewing, held, log);
            }
            catch (Exception e) when (e is not (PeerFailureException or OutOfMemoryException))
            {
                // Any request the study code cannot run is refused; the service stays up for the next one.
                var rule = RuleOf(e);
                log?.Invoke($"refused ({rule})");
                reply = new PartyReply { Ok = false, Rule = rule, Error = e.Message, Kind = KindOf(e) };
            }
            if (gate?.Log is { } computations && parsed is { Op: PartyRequest.JoinOp or PartyRequest.AggregateOp } && reply.Rule != ReleaseReview.KeyRule)   // asking for the key computes nothing
                reply = Logged(computations, gate, study, session.PartyId, link.Account, parsed, reply, tokenId, log);
            try { link.Send(PartyWire.Encode(reply)); }
            catch (PeerFailureException) { continue; }   // the analyst left: the next receive fails and the parties end the job together
            if (end) return;
        }
    }

    /// <summary>Logs the join or aggregate this party ran (or refused) to the registry's transparency log and names the
    /// entry in the reply; a result this party could not log is withheld (rule ComputationLog), and so is one after which
    /// the log's head does not extend the one this party countersigned (rule LogConsistency).</summary>
    static PartyReply Logged(IComputationLog computations, PartyGate gate, SecureStudy study, int party, string analyst, PartyRequest request, PartyReply reply,
                             string? tokenId, Action<string>? log)
    {
        bool join = request.Op == PartyRequest.JoinOp;
        string? described = join ? request.Join?.Describe() : request.Aggregate?.Describe();
        if (described is null) return reply;   // malformed: refused, nothing to name
        IEnumerable<string> names = join ? request.Join!.Datasets : [request.Aggregate!.Dataset];
        var datasets = names.Where(study.Has).SelectMany(n => study.Dataset(n).Origins.Select(o => o.Dataset)).Distinct(StringComparer.Ordinal).ToArray();
        var record = new ComputationRecord
        {
            Kind = !reply.Ok ? ComputationRecord.RefusalKind : join ? ComputationRecord.QueryKind : ComputationRecord.ReleaseKind,
            Party = party, Analyst = analyst, Operation = join ? "join" : "aggregate", Request = described, Datasets = datasets, TokenId = tokenId,
        };
        try
        {
            if (!reply.Ok)
                record = record with { Rule = new string((reply.Rule ?? "Refused").Where(char.IsAsciiLetterOrDigit).ToArray()) is { Length: > 0 } rule ? rule : "Refused" };
            else if (reply.Review is { } held)   // a release held for review: its digest keyed with the analyst's review key
                record = record with { ResultSha256 = held.ResultSha256, Sequence = held.Sequence, Epsilon = held.EpsilonSpent };
            else if (join)
            {
                var wire = reply.Result!.Value.Deserialize<JoinWire>(PartyWire.Json)!;
                record = record with { ResultSha256 = PartyWire.Digest(wire), Sequence = wire.Sequence };
            }
            else
            {
                var wire = reply.Result!.Value.Deserialize<ReleaseWire>(PartyWire.Json)!;
                record = record with { ResultSha256 = PartyWire.Digest(wire), Sequence = wire.Sequence, Epsilon = wire.EpsilonSpent };
            }
            var entry = computations.Append(record);
            log?.Invoke($"logged the {record.Kind} as entry {entry.Index} of the registry's log");
            var logged = new LogEntryWire(entry.Index, entry.Proof);
            if (gate.Witnessed(log) is { } inconsistent && reply.Ok)
                return new PartyReply { Ok = false, Rule = "LogConsistency", Error = $"Compute party {party} withholds the result: {inconsistent[(inconsistent.IndexOf(':') + 2)..]}", LogEntry = logged };
            return reply with { LogEntry = logged };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log?.Invoke($"the {record.Kind} could not be logged: {e.Message}");
            return reply.Ok
                ? new PartyReply { Ok = false, Rule = "ComputationLog", Error = $"Compute party {party} withholds the result: it could not append it to the registry's transparency log ({e.Message})." }
                : reply;
        }
    }

    /// <summary>The terms of the datasets whose stewards must review this aggregate's or join's release (outputReview),
    /// or none; refuses (rule OutputReview) when the release could not be held: no registry to hold it, or no analyst's key.
    /// A join is reviewed when a reviewing input's terms cover "join" (or every operation); anything released from a join
    /// that was held (an aggregate on it, a further join) is reviewed by the same stewards, whatever its operations: the
    /// joined table stays at the parties, and a count on it would otherwise disclose the joined rows the review holds.</summary>
    static IReadOnlyList<DataUseTerms> Reviewing(SecureStudy study, PartyGate? gate, PartyRequest request, HeldJoins held)
    {
        if (request.Op is not (PartyRequest.AggregateOp or PartyRequest.JoinOp)) return [];   // an explanation releases nothing
        var reviewing = Reviewers(study, request.Op, request.Join, request.Aggregate, held);
        if (reviewing.Count == 0) return [];
        string whose = string.Join(", ", reviewing.Select(t => $"'{t.Dataset}' ({t.Steward})"));
        string what = request.Op == PartyRequest.JoinOp ? "a join's counts on" : "releases of";
        if (gate?.Reviews is null)
            throw new PolicyException("OutputReview", $"{what} {whose} need the data steward's review at the registry, and these compute parties have no registry to hold them.");
        if (request.ReviewKey is null)
            throw new PolicyException(ReleaseReview.KeyRule, $"{what} {whose} need the data steward's review: send the request with the analyst's review key to seal the release to (this client is too old if it does not).");
        if (!Smpc.Governance.Review.SealedBox.IsPublicKey(request.ReviewKey))
            throw new PolicyException("OutputReview", $"{what} {whose} need the data steward's review, and the request's review key is not a P-256 public key.");
        return reviewing;
    }

    /// <summary>The terms whose stewards review the release of this join or aggregate: its datasets' outputReview covering
    /// its operations, and the stewards of any held join it reads. Empty when none (or when the request is refused anyway).</summary>
    static IReadOnlyList<DataUseTerms> Reviewers(SecureStudy study, string op, JoinRequest? join, AggregateRequest? aggregate, HeldJoins held)
    {
        IReadOnlyList<string> names;
        IReadOnlyList<string> operations;
        if (op is PartyRequest.AggregateOp or PartyRequest.ExplainOp && aggregate is not null)
        {
            if (!study.Has(aggregate.Dataset) || !study.Dataset(aggregate.Dataset).Origins.Any(t => t.OutputReview is not null)) return [];
            names = [aggregate.Dataset];
            try { operations = AggregatePlan.Check(study.Dataset(aggregate.Dataset), aggregate).Operations; }
            catch (SmpcException) { return []; }   // refused when run, with its own message
        }
        else if (op is PartyRequest.JoinOp or PartyRequest.ExplainOp && join is not null)
        {
            names = [.. join.Datasets.Where(study.Has)];
            operations = ["join"];
        }
        else return [];
        var origins = names.SelectMany(n => study.Dataset(n).Origins).ToList();
        if (!origins.Any(t => t.OutputReview is not null)) return [];   // only a reviewed dataset's terms can require review, or have held a join
        return ReleaseReview.Reviewing(origins, operations).Concat(names.SelectMany(held.Reviewing)).DistinctBy(t => t.Dataset).ToList();
    }

    /// <summary>Seals the release (an aggregate's table, or a join's counts) to the analyst's review key and to each
    /// reviewing steward's key (from the terms this party holds), posts the copies to the registry, and answers with the
    /// review in place of the release. A held join's table stays at the parties, and whatever is later released from it is
    /// reviewed too (<see cref="HeldJoins"/>). A join asked again with the same key is the same review: not posted twice.
    /// A party that cannot post withholds the release (rule OutputReview).</summary>
    static PartyReply HeldForReview(IReleaseReviews reviews, int party, string analyst, PartyRequest request, PartyReply reply,
                                    IReadOnlyList<DataUseTerms> reviewing, HeldJoins held, Action<string>? log)
    {
        bool join = request.Op == PartyRequest.JoinOp;
        byte[] bytes;
        int sequence;
        double? epsilon = null;
        string described, dataset = "";
        if (join)
        {
            var wire = reply.Result!.Value.Deserialize<JoinWire>(PartyWire.Json)!;
            (bytes, sequence, described, dataset) = (PartyWire.Encode(wire), wire.Sequence, request.Join!.Describe(), wire.Dataset);
        }
        else
        {
            var wire = reply.Result!.Value.Deserialize<ReleaseWire>(PartyWire.Json)!;
            (bytes, sequence, epsilon, described) = (PartyWire.Encode(wire), wire.Sequence, wire.EpsilonSpent, request.Aggregate!.Describe());
        }
        string key = request.ReviewKey!, digest = ReleaseReview.KeyedDigest(bytes, key), id = ReleaseReview.Id(digest, sequence);
        if (join) held.Hold(dataset, reviewing);   // before posting: a join whose counts could not be held stays held all the same
        if (held.Posted(id))
            log?.Invoke($"the {(join ? "join" : "release")} is already held for review {id}");
        else
        {
            var submission = new Registry.ReleaseReviewSubmission(id, party, analyst, described,
                Smpc.Governance.Review.SealedBox.Seal(bytes, key, ReleaseReview.AnalystContext(id, party)),
                reviewing.Select(t => new Registry.StewardSealedCopy(t.Dataset,
                    Smpc.Governance.Review.SealedBox.Seal(bytes, t.OutputReview!.ReviewerKey!, ReleaseReview.StewardContext(id, t.Dataset, party)))).ToList());
            try { reviews.Submit(submission); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new PartyProtocolException("OutputReview", $"Compute party {party} withholds the {(join ? "join's counts" : "release")}: it could not hold them at the registry for review ({e.Message}).");
            }
            held.Post(id);
            log?.Invoke($"the {(join ? "join's counts are" : "release is")} held for review {id} by {string.Join(", ", reviewing.Select(t => t.Steward))}");
        }
        return reply with
        {
            Result = null,
            Review = new ReviewWire(id, reviewing.Select(t => new ReviewerWire(t.Dataset, t.Steward)).ToList(), digest, sequence, epsilon, request.Op, described),
        };
    }

    /// <summary>Progress lines to the analyst (a few per request: stages, levels, pivots); a failed send is ignored (the
    /// analyst's leaving is noticed when the reply is sent).</summary>
    static Action<string> IgnoringGoneAnalyst(Action<string> send) => line =>
    {
        try { send(line); }
        catch (PeerFailureException) { }
    };

    /// <summary>One round with both peers: true when all three hold the same (account, catalogue of contributed datasets with
    /// their upload ids, request), false when they differ, null when the analyst left at some party (then every party ends
    /// the job).</summary>
    static bool? Agree(MpcSession s, string account, string catalogue, byte[]? frame)
    {
        var mine = new byte[33];
        if (frame is not null)
        {
            mine[0] = Request;
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var who = Encoding.UTF8.GetBytes(account);
            var held = Encoding.UTF8.GetBytes(catalogue);
            h.AppendData(BitConverter.GetBytes(who.Length));
            h.AppendData(who);
            h.AppendData(BitConverter.GetBytes(held.Length));
            h.AppendData(held);
            h.AppendData(frame);
            h.GetHashAndReset(mine.AsSpan(1));
        }
        s.Next.Send(mine);
        s.Prev.Send(mine);
        byte[] next = s.Next.Receive(), prev = s.Prev.Receive();
        if (mine[0] == Gone || next.Length != 33 || prev.Length != 33 || next[0] == Gone || prev[0] == Gone) return null;
        return next.AsSpan().SequenceEqual(mine) && prev.AsSpan().SequenceEqual(mine);
    }

    /// <param name="analyst">The account the analyst's certificate proves; null: not checked (see Serve).</param>
    static PartyReply Execute(SecureStudy study, string? analyst, PartyRequest request, HeldJoins held, Action<string>? log)
    {
        switch (request.Op)
        {
            case PartyRequest.End:
                return new PartyReply { Ok = true };
            case PartyRequest.Datasets:
                var list = study.Datasets.Where(d => Allowed(d.Terms, analyst)).Select(d => new DatasetWire(d.Name, d.ReleasedRows, d.Description,
                    d.Table.Columns.Select(c => new ColumnWire(c.Name, c.Spec.Kind.ToString(), c.Spec.Domain)).ToArray())).ToArray();
                return Ok(list, null);
            case PartyRequest.JoinOp:
            {
                var join = request.Join ?? throw new PartyProtocolException("MalformedRequest", "A join request needs 'join'.");
                foreach (var name in join.Datasets.Where(study.Has))
                    if (!Allowed(study.Dataset(name).Terms, analyst))
                        throw new PolicyException("AllowedAnalysts", $"'{analyst}' is not among the analysts allowed on '{name}'.");
                log?.Invoke($"join {join.Describe()}");
                study.ActAs(analyst);
                var release = study.Join(join);
                return Ok(PartyWire.ToWire(release), release.Cost);
            }
            case PartyRequest.AggregateOp:
            {
                var aggregate = request.Aggregate ?? throw new PartyProtocolException("MalformedRequest", "An aggregate request needs 'aggregate'.");
                log?.Invoke($"aggregate {aggregate.Describe()}");
                study.ActAs(analyst);
                var release = study.Aggregate(aggregate);
                return Ok(PartyWire.ToWire(release), release.Cost);
            }
            case PartyRequest.ExplainOp:
            {
                if ((request.Join is null) == (request.Aggregate is null))
                    throw new PartyProtocolException("MalformedRequest", "An explain request needs either 'join' or 'aggregate'.");
                var names = request.Join?.Datasets ?? [request.Aggregate!.Dataset];
                string operation = request.Join is { } j ? $"join {j.Describe()}" : request.Aggregate!.Describe();
                log?.Invoke($"explain {operation}");
                Explanation explanation;
                if (names.Where(study.Has).FirstOrDefault(n => !Allowed(study.Dataset(n).Terms, analyst)) is { } forbidden)
                    explanation = new Explanation { Operation = operation, Refused = true, Rule = "AllowedAnalysts", Refusal = $"'{analyst}' is not among the analysts allowed on '{forbidden}'.", Link = study.Link };
                else
                {
                    study.ActAs(analyst);
                    explanation = request.Join is { } join ? study.Explain(join) : study.Explain(request.Aggregate!);
                    if (!explanation.Refused && Reviewers(study, request.Op, request.Join, request.Aggregate, held) is { Count: > 0 } reviewers)
                        explanation = explanation with
                        {
                            RulesApplied = [.. explanation.RulesApplied, $"OutputReview: the {(request.Join is null ? "release" : "join's counts")} would be held at the registry " +
                                $"until {string.Join(" and ", reviewers.Select(t => $"{t.Steward} (dataset '{t.Dataset}')"))} approved it; nothing of it is shown before"],
                        };
                }
                // This party's computation estimate depends on its machine: it travels with the cost, the rest is agreed.
                var own = new OperationCost(explanation.Rows, explanation.Rounds, 0, TimeSpan.FromMilliseconds(explanation.ComputationMilliseconds), []);
                return Ok(explanation with { ComputationMilliseconds = 0, ExpectedMilliseconds = 0 }, own);
            }
            default:
                throw new PartyProtocolException("UnknownOperation",
                    $"Unknown request '{request.Op}': a party service answers only {PartyRequest.Datasets}, {PartyRequest.JoinOp}, {PartyRequest.AggregateOp}, {PartyRequest.ExplainOp} and {PartyRequest.End}.");
        }
    }

    static bool Allowed(DataUseTerms terms, string? analyst) =>
        analyst is null || terms.AllowedAnalysts.Count == 0 || terms.AllowedAnalysts.Contains(analyst, StringComparer.Ordinal);

    static PartyReply Ok<T>(T result, OperationCost? cost) => new()
    {
        Ok = true,
        Result = JsonSerializer.SerializeToElement(result, PartyWire.Json),
        Cost = cost is null ? null : PartyWire.Cost(cost),
    };

    /// <summary>The kind of refusal, so that a study in the analyst's process can raise the exception a study on its own
    /// engine raises (PolicyException, QueryException, …).</summary>
    static string? KindOf(Exception e) => e switch
    {
        PolicyException => nameof(PolicyException),
        QueryException => nameof(QueryException),
        SchemaException => nameof(SchemaException),
        LinkageException => nameof(LinkageException),
        RangeException => nameof(RangeException),
        FilterSyntaxException => nameof(FilterSyntaxException),
        ShapeException => nameof(ShapeException),
        _ => null,
    };

    internal static string RuleOf(Exception e) => e switch
    {
        PolicyException p => p.Rule,
        PartyProtocolException p => p.Rule,
        LinkageException => "Linkage",
        QueryException or SchemaException => "QueryValidation",
        SmpcException or ArgumentException or InvalidOperationException => "Refused",
        _ => "Failed",
    };
}
