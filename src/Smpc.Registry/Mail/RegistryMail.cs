using System.Net;
using System.Net.Mail;

namespace Smpc.Registry.Mail;

/// <summary>
/// Sends the registry's plain-text mail (System.Net.Mail) to the pickup folder or SMTP server of
/// <see cref="MailSettings"/>. Messages carry one-time links; they are never logged.
/// </summary>
public sealed class RegistryMail(MailSettings settings)
{
    public MailSettings Settings => settings;

    public async Task SendAsync(string to, string subject, string body, CancellationToken ct = default)
    {
        using var message = new MailMessage(settings.From, to, subject, body)
        {
            BodyEncoding = System.Text.Encoding.UTF8, SubjectEncoding = System.Text.Encoding.UTF8, BodyTransferEncoding = System.Net.Mime.TransferEncoding.QuotedPrintable,
        };
        using var client = new SmtpClient();
        if (settings.SmtpHost is { Length: > 0 } host)
        {
            client.Host = host;
            client.Port = settings.SmtpPort;
            client.EnableSsl = settings.SmtpTls;
            client.DeliveryMethod = SmtpDeliveryMethod.Network;
            if (settings.SmtpUser is { Length: > 0 } user) client.Credentials = new NetworkCredential(user, settings.SmtpPassword);
        }
        else
        {
            Directory.CreateDirectory(settings.PickupDirectory!);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = settings.PickupDirectory;
        }
        await client.SendMailAsync(message, ct);
    }
}
