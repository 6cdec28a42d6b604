namespace Smpc.Analytics.Columnar.Ipc;

/// <summary>
/// Writes the three parties' share files of one sharing together, batch by batch. Nothing appears at the
/// destinations until <see cref="Commit"/>: the three files are written under temporary names, finished,
/// and only then moved into place. Disposing an uncommitted writer deletes the temporary files.
/// </summary>
/// <remarks>If a move fails midway (disk removed, permissions changed), files already moved are deleted
/// again, so the three destinations never mix two uploads (with overwrite, a set can then be incomplete
/// and must be shared again).</remarks>
public sealed class ShareFileSetWriter : IDisposable
{
    readonly ShareFileWriter[] _writers = new ShareFileWriter[3];
    bool _committed;

    public ShareFileSetWriter(ShareFileSet files, ShareFileHeader header, bool overwrite = false)
    {
        Files = files;
        try
        {
            for (int p = 0; p < 3; p++) _writers[p] = new ShareFileWriter(files[p], header.ForParty(p), overwrite);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ShareFileSet Files { get; }
    public long RowsWritten => _writers[0].RowsWritten;

    /// <summary>Appends the same rows for all three parties: <paramref name="views"/>[p] is party p's shares.</summary>
    public void Write(IReadOnlyList<SharedTable> views)
    {
        if (views.Count != 3) throw new ShapeException($"A sharing has three parties' views; got {views.Count}.");
        for (int p = 0; p < 3; p++)
        {
            if (views[p].PartyId != p) throw new ShapeException($"View {p} holds party {views[p].PartyId}'s shares.");
            if (views[p].RowCount != views[0].RowCount) throw Errors.LengthMismatch("party views", views[0].RowCount, views[p].RowCount);
        }
        for (int p = 0; p < 3; p++) _writers[p].Write(views[p]);
    }

    /// <summary>Finishes the three files and moves them into place.</summary>
    public void Commit()
    {
        if (_committed) return;
        foreach (var w in _writers) w.Finish();
        foreach (var w in _writers) w.CheckDestination();
        var moved = new List<ShareFileWriter>();
        try
        {
            foreach (var w in _writers)
            {
                w.Commit();
                moved.Add(w);
            }
        }
        catch
        {
            foreach (var w in moved) File.Delete(w.Path);
            throw;
        }
        _committed = true;
    }

    public void Dispose()
    {
        foreach (var w in _writers) w?.Dispose();
    }
}
