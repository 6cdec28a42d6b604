using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smpc.Analytics.Session;

/// <summary>Where one compute party listens and where its certificate and key are (paths relative to the config file).</summary>
public sealed record PartyEndpointConfig(int Id, string Host, int Port, string Certificate, string Key)
{
    /// <summary>Where the party's store service (<c>smpc party serve</c>) accepts contributors' uploads; null when the
    /// study has no contributors.</summary>
    public int? UploadPort { get; init; }

    /// <summary>A file holding this party's compute operator's registry credential (a personal access token,
    /// smpc_pat_…; readable by the operator only), with which the party logs what it computed in the registry's
    /// transparency log when the study is registry-gated with a "url"; the SMPC_REGISTRY_TOKEN environment variable
    /// when absent. Like <see cref="Key"/>, each party reads only its own.</summary>
    public string? RegistryToken { get; init; }

    /// <summary>A file holding this party's witness key (an Ed25519 seed, base64, readable by the operator only, as
    /// <c>smpc audit witness-key --key FILE --name NAME</c> creates it; its public key registered by the registry's
    /// administrator, POST /api/log/witnesses). Needed when the study's registry pins its log key
    /// (<see cref="RegistryGateConfig.Log"/>): the party then countersigns each tree head it sees.</summary>
    public string? WitnessKey { get; init; }

    /// <summary>The name the witness key is registered under at the registry; "party-{id}" when absent.</summary>
    public string? WitnessName { get; init; }
}

/// <summary>The analyst's (coordinator's) certificate and key.</summary>
public sealed record AnalystConfig(string Certificate, string Key);

/// <summary>A contributor (data steward) of the study: its name and certificate; the key is held by the contributor only.</summary>
public sealed record ContributorConfig(string Name, string Certificate, string Key);

/// <summary>
/// A study's network configuration (<c>study.json</c>): study name, its certificate authority, the three
/// compute parties' endpoints and certificates, and the analyst's certificate. Written by <c>smpc certs</c>.
/// Every party reads the same file and loads only its own private key.
/// </summary>
public sealed record StudyConfig(string Study, string Ca, IReadOnlyList<PartyEndpointConfig> Parties, AnalystConfig Analyst)
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Folder that relative paths in this config are resolved against.</summary>
    [JsonIgnore] public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The contributors allowed to upload datasets (empty: none).</summary>
    public IReadOnlyList<ContributorConfig> Contributors { get; init; } = [];

    /// <summary>Registry-gated computation: the registry's work-token key and this study's id there; when set, the
    /// party services compute only for requests carrying a valid work token.</summary>
    public RegistryGateConfig? Registry { get; init; }

    /// <summary>Certificates of this study that must no longer be accepted (a lost laptop, a party that left), each by
    /// serial number or SHA-256 fingerprint with the reason; checked on both ends of every TLS link.</summary>
    public IReadOnlyList<RevokedCertificateConfig> RevokedCertificates { get; init; } = [];

    /// <summary>The contributors' shared pseudonymisation key file (keyed hash; given to contributors, never to parties).</summary>
    public string? ContributorKey { get; init; }

    /// <summary>How contributors pseudonymise identifiers at upload: "keyed-hash" (the default: HMAC-SHA256 under
    /// <see cref="ContributorKey"/>) or "oprf" (the threshold OPRF, its key split across the three parties, which
    /// evaluate it on the upload connections).</summary>
    public string? Pseudonymiser { get; init; }

    /// <summary>The contributor named <paramref name="name"/>.</summary>
    public ContributorConfig Contributor(string name) =>
        Contributors.FirstOrDefault(c => c.Name == name)
        ?? throw new SmpcException($"Study '{Study}' has no contributor '{name}'; its contributors are: {(Contributors.Count == 0 ? "none (issue them with `smpc certs --contributors`)" : string.Join(", ", Contributors.Select(c => c.Name)))}.");

    /// <summary>The socket address of party <paramref name="id"/>'s upload service.</summary>
    public IPEndPoint UploadEndPoint(int id)
    {
        var port = Party(id).UploadPort ?? throw new SmpcException($"Study '{Study}': party {id} has no 'uploadPort' in the study config, so contributors cannot reach its store service.");
        return new IPEndPoint(EndPoint(id).Address, port);
    }

    /// <summary>The endpoint of party <paramref name="id"/>.</summary>
    public PartyEndpointConfig Party(int id) =>
        (uint)id <= 2 ? Parties.Single(p => p.Id == id) : throw Errors.PartyId(id, nameof(id));

    /// <summary>An absolute path for a path written in the config.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, BaseDirectory);

    /// <summary>Reads and checks a config file; errors name the file and the field.</summary>
    public static StudyConfig Load(string path)
    {
        if (!File.Exists(path)) throw new SmpcException($"Study config '{path}' does not exist (create one with `smpc certs`).");
        StudyConfig? config;
        try { config = JsonSerializer.Deserialize<StudyConfig>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new SmpcException($"Study config '{path}' is not valid JSON: {e.Message}", e); }
        if (config is null) throw new SmpcException($"Study config '{path}' is empty.");
        config = config with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! };
        config.Validate(path);
        return config;
    }

    public void Save(string path)
    {
        Validate(path);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }

    void Validate(string path)
    {
        string where = $"Study config '{path}'";
        if (string.IsNullOrWhiteSpace(Study)) throw new SmpcException($"{where}: 'study' (the study name) is missing.");
        if (string.IsNullOrWhiteSpace(Ca)) throw new SmpcException($"{where}: 'ca' (the study CA certificate) is missing.");
        if (Parties is null || Parties.Count != 3) throw new SmpcException($"{where}: 'parties' must list exactly three compute parties; it lists {Parties?.Count ?? 0}.");
        for (int id = 0; id < 3; id++)
            if (Parties.Count(p => p.Id == id) != 1) throw new SmpcException($"{where}: party ids must be 0, 1 and 2, each once; party {id} appears {Parties.Count(p => p.Id == id)} times.");
        foreach (var p in Parties)
        {
            if (string.IsNullOrWhiteSpace(p.Host)) throw new SmpcException($"{where}: party {p.Id} has no 'host'.");
            if (p.Port is < 1 or > 65535) throw new SmpcException($"{where}: party {p.Id}'s port {p.Port} is outside 1..65535.");
            if (string.IsNullOrWhiteSpace(p.Certificate) || string.IsNullOrWhiteSpace(p.Key)) throw new SmpcException($"{where}: party {p.Id} needs 'certificate' and 'key'.");
        }
        if (Analyst is null || string.IsNullOrWhiteSpace(Analyst.Certificate) || string.IsNullOrWhiteSpace(Analyst.Key))
            throw new SmpcException($"{where}: 'analyst' needs 'certificate' and 'key'.");
        var contributors = Contributors ?? [];
        foreach (var c in contributors)
        {
            if (string.IsNullOrWhiteSpace(c.Name) || string.IsNullOrWhiteSpace(c.Certificate) || string.IsNullOrWhiteSpace(c.Key))
                throw new SmpcException($"{where}: every contributor needs 'name', 'certificate' and 'key'.");
            Transport.StudyMember.CheckContributorName(c.Name);
        }
        if (contributors.Select(c => c.Name).Distinct().Count() != contributors.Count)
            throw new SmpcException($"{where}: a contributor is listed twice.");
        foreach (var (r, i) in (RevokedCertificates ?? []).Select((r, i) => (r, i)))
            r.Check($"{where}: revokedCertificates[{i}]");
        if (Pseudonymiser is not (null or "keyed-hash" or "oprf"))
            throw new SmpcException($"{where}: 'pseudonymiser' is '{Pseudonymiser}'; use \"keyed-hash\" (the contributors' keyed hash) or \"oprf\" (the threshold OPRF of the three parties).");
        foreach (var p in Parties)
            if (p.UploadPort is { } up && up is < 1 or > 65535) throw new SmpcException($"{where}: party {p.Id}'s upload port {up} is outside 1..65535.");
    }

    /// <summary>The socket address of party <paramref name="id"/> (host names are resolved, IPv4 preferred).</summary>
    public IPEndPoint EndPoint(int id)
    {
        var p = Party(id);
        if (IPAddress.TryParse(p.Host, out var ip)) return new IPEndPoint(ip, p.Port);
        var addresses = Dns.GetHostAddresses(p.Host);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new SmpcException($"Party {id}'s host '{p.Host}' does not resolve to an address.");
        return new IPEndPoint(chosen, p.Port);
    }
}

/// <summary>The registry a study's parties obey: its token key (Ed25519 public key, base64, as GET /api/work-token-key
/// gives it), the study's id in the registry, and token ids revoked before their expiry (with Url, the parties also refuse
/// those revoked at the registry, GET /api/studies/{id}/work-tokens/revoked, without this list being edited).</summary>
public sealed record RegistryGateConfig(string Name, string PublicKey, string StudyId)
{
    public IReadOnlyList<string> RevokedTokens { get; init; } = [];

    /// <summary>The registry's address (https, or http to a loopback address): when set, each party logs every join and
    /// aggregate it runs or refuses in the registry's transparency log, with its compute operator's credential
    /// (<see cref="PartyEndpointConfig.RegistryToken"/>), and withholds a result it could not log.</summary>
    public string? Url { get; init; }

    /// <summary>The registry's transparency-log key (its name and Ed25519 public key, base64, as <c>smpc audit export</c>
    /// writes it under "log"). With <see cref="Url"/>, each party witnesses the log: at service start and after each
    /// computation it logs, it checks the registry's latest signed head against the last one it countersigned (kept in
    /// its state directory) and countersigns it with its <see cref="PartyEndpointConfig.WitnessKey"/>; a head that does
    /// not extend it (a rewritten or forked log) stops the party's work (rule LogConsistency).</summary>
    public RegistryLogKeyConfig? Log { get; init; }
}

/// <summary>A transparency log's public key: its name and its Ed25519 public key (base64).</summary>
public sealed record RegistryLogKeyConfig(string Name, string PublicKey);

/// <summary>A revoked study certificate, named by its serial number or its SHA-256 fingerprint (hex; ':' and spaces
/// ignored), with the reason the parties and the analyst report when it is presented.</summary>
public sealed record RevokedCertificateConfig(string Reason)
{
    public string? Serial { get; init; }
    public string? Sha256 { get; init; }

    /// <summary>True when this entry names <paramref name="certificate"/>.</summary>
    public bool Matches(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        (Serial is { } serial && Hex(serial).TrimStart('0') == certificate.SerialNumber.TrimStart('0'))
        || (Sha256 is { } sha && Hex(sha) == certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));

    internal void Check(string where)
    {
        if (string.IsNullOrWhiteSpace(Reason)) throw new SmpcException($"{where}: 'reason' is missing (say why the certificate was revoked).");
        if (Serial is null && Sha256 is null) throw new SmpcException($"{where}: give 'serial' or 'sha256' of the revoked certificate.");
        if (Serial is not null && (Hex(Serial).Length == 0 || !Hex(Serial).All(char.IsAsciiHexDigit)))
            throw new SmpcException($"{where}: serial '{Serial}' is not a hexadecimal serial number.");
        if (Sha256 is not null && (Hex(Sha256).Length != 64 || !Hex(Sha256).All(char.IsAsciiHexDigit)))
            throw new SmpcException($"{where}: sha256 '{Sha256}' is not a SHA-256 fingerprint (64 hexadecimal digits).");
    }

    static string Hex(string s) => s.Replace(":", "").Replace(" ", "").ToUpperInvariant();
}
