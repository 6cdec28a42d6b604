using Smpc.Analytics.Statistics;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Microsoft.Data.Analysis;

namespace Smpc.Analytics.Studies;

/// <summary>
/// Arrow IPC (file or stream format), Parquet and in-memory <see cref="DataFrame"/>s read into typed cells
/// (<see cref="RawData"/>): integers as long (or ulong), floating point and decimals as double, booleans, text,
/// dates as ISO text (yyyy-MM-dd), null for a missing value. Located by data row and field, counted from 1.
/// </summary>
internal static class TypedSources
{
    public static RawData Arrow(string path, int maxProblems)
    {
        var raw = new RawData { File = Path.GetFileName(path), IsText = false, Problems = new ProblemList(maxProblems) };
        using var stream = Open(path);
        if (stream.Length == 0) return Empty(raw);
        ArrowStreamReader reader;
        try { reader = IsFileFormat(stream) ? new ArrowFileReader(stream, leaveOpen: true) : new ArrowStreamReader(stream, leaveOpen: true); }
        catch (Exception e) when (e is not SmpcException and not OutOfMemoryException) { return Unreadable(raw, "Arrow IPC", e); }
        using (reader)
        {
            try
            {
                var fields = reader.Schema.FieldsList;
                Header(raw, fields.Select(f => f.Name));
                long row = 0;
                while (reader.ReadNextRecordBatch() is { } batch)
                    using (batch)
                        for (int r = 0; r < batch.Length; r++)
                        {
                            var cells = new object?[fields.Count];
                            for (int k = 0; k < cells.Length; k++) cells[k] = ArrowCell(batch.Column(k), r);
                            raw.Rows.Add(new RawRow(++row, cells, null));
                        }
            }
            catch (Exception e) when (e is not SmpcException and not OutOfMemoryException) { return Unreadable(raw, "Arrow IPC", e); }
        }
        return raw;
    }

    public static RawData Parquet(string path, int maxProblems)
    {
        var raw = new RawData { File = Path.GetFileName(path), IsText = false, Problems = new ProblemList(maxProblems) };
        using var stream = Open(path);
        if (stream.Length == 0) return Empty(raw);
        try
        {
            var result = global::Parquet.Serialization.ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
            var names = result.Schema.DataFields.Select(f => f.Name).ToArray();
            Header(raw, names);
            long row = 0;
            foreach (var record in result.Data)
                raw.Rows.Add(new RawRow(++row, names.Select(n => record.TryGetValue(n, out var v) ? Cell(v) : null).ToArray(), null));
        }
        catch (Exception e) when (e is not SmpcException and not OutOfMemoryException) { return Unreadable(raw, "Parquet", e); }
        return raw;
    }

    public static RawData Frame(DataFrame frame, string name, int maxProblems)
    {
        var raw = new RawData { File = name, IsText = false, Problems = new ProblemList(maxProblems) };
        Header(raw, frame.Columns.Select(c => c.Name));
        for (long r = 0; r < frame.Rows.Count; r++)
            raw.Rows.Add(new RawRow(r + 1, frame.Columns.Select(c => Cell(c[r])).ToArray(), null));
        return raw;
    }

    static void Header(RawData raw, IEnumerable<string> names)
    {
        foreach (var n in names)
        {
            raw.Header.Add(n);
            raw.HeaderColumns.Add(raw.Header.Count);
        }
    }

    static RawData Empty(RawData raw)
    {
        raw.Problems.Add(new DataProblem(DataProblemKind.EmptyFile, raw.File, 1, 1, null, "the file is empty (0 bytes)") { IsTextLine = false });
        return raw;
    }

    static RawData Unreadable(RawData raw, string format, Exception e)
    {
        raw.Problems.Add(new DataProblem(DataProblemKind.Malformed, raw.File, raw.Rows.Count + 1, 1, null, $"not a readable {format} file: {e.Message}") { IsTextLine = false });
        return raw;
    }

    static FileStream Open(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QueryException($"Cannot read the dataset '{path}': {e.Message}");
        }
    }

    static bool IsFileFormat(Stream s)
    {
        Span<byte> head = stackalloc byte[6];
        long at = s.Position;
        int got = s.ReadAtLeast(head, 6, throwOnEndOfStream: false);
        s.Position = at;
        return got == 6 && head.SequenceEqual("ARROW1"u8);
    }

    static object? ArrowCell(IArrowArray array, int i)
    {
        if (array.IsNull(i)) return null;
        return array switch
        {
            Int8Array a => (long)a.GetValue(i)!.Value,
            Int16Array a => (long)a.GetValue(i)!.Value,
            Int32Array a => (long)a.GetValue(i)!.Value,
            Int64Array a => a.GetValue(i)!.Value,
            UInt8Array a => (long)a.GetValue(i)!.Value,
            UInt16Array a => (long)a.GetValue(i)!.Value,
            UInt32Array a => (long)a.GetValue(i)!.Value,
            UInt64Array a => Cell(a.GetValue(i)!.Value),
            FloatArray a => Cell(a.GetValue(i)!.Value),
            DoubleArray a => Cell(a.GetValue(i)!.Value),
            BooleanArray a => a.GetValue(i)!.Value,
            StringArray a => a.GetString(i),
            Date32Array a => Cell(a.GetDateOnly(i)!.Value),
            Date64Array a => Cell(a.GetDateOnly(i)!.Value),
            DictionaryArray d => ArrowCell(d.Dictionary, Index(d.Indices, i)),
            _ => $"<{array.Data.DataType.Name}>",
        };
    }

    static int Index(IArrowArray indices, int i) => indices switch
    {
        Int8Array a => a.GetValue(i)!.Value,
        Int16Array a => a.GetValue(i)!.Value,
        Int32Array a => a.GetValue(i)!.Value,
        Int64Array a => checked((int)a.GetValue(i)!.Value),
        UInt8Array a => a.GetValue(i)!.Value,
        UInt16Array a => a.GetValue(i)!.Value,
        UInt32Array a => checked((int)a.GetValue(i)!.Value),
        _ => throw new NotSupportedException($"dictionary indices of type {indices.Data.DataType.Name}"),
    };

    /// <summary>A value of a typed source in the cell types the readers take.</summary>
    internal static object? Cell(object? v) => v switch
    {
        null => null,
        double d => double.IsNaN(d) ? null : d,
        float f => float.IsNaN(f) ? null : (double)f,
        decimal m => (double)m,
        int x => (long)x,
        short x => (long)x,
        sbyte x => (long)x,
        byte x => (long)x,
        ushort x => (long)x,
        uint x => (long)x,
        ulong x => x <= long.MaxValue ? (long)x : x,
        char c => c.ToString(),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        _ => v,
    };
}
