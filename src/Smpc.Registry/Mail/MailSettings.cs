namespace Smpc.Registry.Mail;

/// <summary>
/// Where the registry's mail (invitations, password resets) goes: by default each message is written as an
/// <c>.eml</c> file to a pickup folder (<c>DIR/mail</c>), for a mail server to pick up or a person to read; with
/// <see cref="SmtpHost"/> set, it is sent by SMTP (STARTTLS unless <see cref="SmtpTls"/> is false). Read from
/// <c>DIR/smtp.json</c> when that file exists (see the registry's README).
/// </summary>
public sealed record MailSettings
{
    public string From { get; init; } = "registry@registry.localhost";

    /// <summary>The pickup folder used when no SMTP host is set.</summary>
    public string? PickupDirectory { get; init; }

    public string? SmtpHost { get; init; }

    public int SmtpPort { get; init; } = 587;

    public bool SmtpTls { get; init; } = true;

    public string? SmtpUser { get; init; }

    public string? SmtpPassword { get; init; }

    /// <summary>Reads <c>smtp.json</c> in the data folder (<c>{"from", "smtpHost", "smtpPort", "smtpTls", "smtpUser",
    /// "smtpPassword"}</c>) when present; otherwise the pickup folder <c>DIR/mail</c>.</summary>
    public static MailSettings Load(string dataDirectory)
    {
        string pickup = Path.Combine(Path.GetFullPath(dataDirectory), "mail");
        string file = Path.Combine(dataDirectory, "smtp.json");
        if (!File.Exists(file)) return new MailSettings { PickupDirectory = pickup };
        try
        {
            var settings = System.Text.Json.JsonSerializer.Deserialize<MailSettings>(File.ReadAllText(file), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))
                ?? throw new ArgumentException($"{file} is empty");
            return settings with { PickupDirectory = settings.PickupDirectory ?? pickup };
        }
        catch (System.Text.Json.JsonException e) { throw new ArgumentException($"{file}: {e.Message}"); }
    }
}
