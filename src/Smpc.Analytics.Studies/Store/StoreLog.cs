// Structured logs of a party's store service: one JSON object per line with time, level, party, study, dataset,
// event, rows, bytes, upload id, contributor name and a message. Callers pass only counts, names of studies,
// datasets and contributors, and error texts of the store and protocol — never a share, a value, an identifier or
// a pseudonym (no code path of the service has plaintext; shares are never formatted into a message).
using System.Text.Json;

namespace Smpc.Analytics.Studies.Store;

/// <summary>A JSON-lines log (thread-safe).</summary>
public sealed class StoreLog(TextWriter writer, int partyId)
{
    readonly Lock _gate = new();

    public void Info(string @event, string? study = null, string? dataset = null, long? rows = null, long? bytes = null,
        string? upload = null, string? contributor = null, string? message = null) =>
        Write("info", @event, study, dataset, rows, bytes, upload, contributor, message);

    public void Warn(string @event, string? study = null, string? dataset = null, string? upload = null, string? contributor = null, string? message = null) =>
        Write("warn", @event, study, dataset, null, null, upload, contributor, message);

    public void Error(string @event, string? study = null, string? dataset = null, string? upload = null, string? contributor = null, string? message = null) =>
        Write("error", @event, study, dataset, null, null, upload, contributor, message);

    void Write(string level, string @event, string? study, string? dataset, long? rows, long? bytes, string? upload, string? contributor, string? message)
    {
        var entry = new Dictionary<string, object?>
        {
            ["time"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["level"] = level,
            ["party"] = partyId,
            ["event"] = @event,
        };
        if (study is not null) entry["study"] = study;
        if (dataset is not null) entry["dataset"] = dataset;
        if (rows is not null) entry["rows"] = rows;
        if (bytes is not null) entry["bytes"] = bytes;
        if (upload is not null) entry["upload"] = upload;
        if (contributor is not null) entry["contributor"] = contributor;
        if (message is not null) entry["message"] = message;
        var line = JsonSerializer.Serialize(entry);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
