using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Smpc.Analytics.Columnar.Encoding;

namespace Smpc.Analytics.Columnar.Contributor;

/// <summary>
/// A dataset in Arrow IPC form — file format (<c>ARROW1</c> magic) or stream format, told apart by the
/// first bytes. Record batches are read one at a time and cut into the contributor's batches, so memory is
/// bounded by the larger of the two. Accepted types: integers and floats for integer, fixed-point and
/// pseudonym columns; strings or dictionary-encoded strings for categorical columns; booleans for boolean
/// columns; strings anywhere (parsed as in CSV). Nulls (and NaN) are missing values. Errors name the file,
/// the row (counted from 1) and the column.
/// </summary>
internal sealed class ArrowSource : IPlainSource
{
    readonly Stream _stream;
    readonly ArrowStreamReader _reader;
    readonly string[] _names;
    RecordBatch? _batch;
    int _offset;
    long _rowsBefore;

    public ArrowSource(Stream stream, string name, TableSchema schema)
    {
        _stream = stream;
        Name = name;
        try
        {
            try
            {
                _reader = IsFileFormat(stream) ? new ArrowFileReader(stream, leaveOpen: true) : new ArrowStreamReader(stream, leaveOpen: true);
                _names = _reader.Schema.FieldsList.Select(f => f.Name).ToArray();
            }
            catch (Exception e) when (e is not SmpcException and not OutOfMemoryException)
            {
                throw new SchemaException($"'{name}' is not a readable Arrow IPC file or stream: {e.Message}");
            }
            var specs = SourceColumns.Match(name, _names, schema);
            var fields = _reader.Schema.FieldsList;
            for (int k = 0; k < fields.Count; k++)
                if (!Accepts(specs[k], fields[k].DataType))
                    throw new SchemaException($"'{name}', column '{fields[k].Name}': Arrow type {fields[k].DataType.Name} cannot hold {ColumnEncoder.KindWords(specs[k])}.");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }
    public IReadOnlyList<string> ColumnNames => _names;

    static bool IsFileFormat(Stream s)
    {
        if (!s.CanSeek) return false;
        Span<byte> head = stackalloc byte[6];
        long at = s.Position;
        int got = s.ReadAtLeast(head, 6, throwOnEndOfStream: false);
        s.Position = at;
        return got == 6 && head.SequenceEqual("ARROW1"u8);
    }

    static bool Accepts(ColumnSpec spec, IArrowType type) => (spec.Kind, type.TypeId) switch
    {
        (_, ArrowTypeId.String) => true,
        (ColumnKind.Categorical, ArrowTypeId.Dictionary) => ((DictionaryType)type).ValueType.TypeId == ArrowTypeId.String,
        (ColumnKind.Boolean, ArrowTypeId.Boolean) => true,
        (ColumnKind.Pseudonym, ArrowTypeId.Int64 or ArrowTypeId.UInt64) => true,
        (ColumnKind.Integer or ColumnKind.FixedPoint, ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
            or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64 or ArrowTypeId.Float or ArrowTypeId.Double) => true,
        _ => false,
    };

    public int ReadBatch(IReadOnlyList<ColumnEncoder> encoders, int maxRows)
    {
        var where = encoders.Select(e => Where(e.Spec.Name)).ToArray();
        int n = 0;
        while (n < maxRows)
        {
            if (_batch is null || _offset == _batch.Length)
            {
                _batch?.Dispose();
                _offset = 0;
                try { _batch = _reader.ReadNextRecordBatch(); }
                catch (Exception e) when (e is not SmpcException and not OutOfMemoryException)
                {
                    throw new SchemaException($"'{Name}' is damaged after row {_rowsBefore + n}: {e.Message}");
                }
                if (_batch is null) break;
                continue;
            }
            int take = Math.Min(maxRows - n, _batch.Length - _offset);
            for (int k = 0; k < encoders.Count; k++)
            {
                var array = _batch.Column(k);
                if (array.Length != _batch.Length)
                    throw new SchemaException($"'{Name}', column '{encoders[k].Spec.Name}': {array.Length} values in a record batch of {_batch.Length} rows.");
                Feed(encoders[k], array, _offset, take, n, where[k]);
            }
            _offset += take;
            n += take;
        }
        _rowsBefore += n;
        return n;
    }

    Func<int, string> Where(string column)
    {
        long before = _rowsBefore;
        return r => $"'{Name}' row {before + r + 1}, column '{column}'";
    }

    static void Feed(ColumnEncoder e, IArrowArray array, int from, int count, int at, Func<int, string> where)
    {
        switch (array)
        {
            case Int8Array a: Ints(e, a, from, count, at, where); break;
            case Int16Array a: Ints(e, a, from, count, at, where); break;
            case Int32Array a: Ints(e, a, from, count, at, where); break;
            case Int64Array a: Ints(e, a, from, count, at, where); break;
            case UInt8Array a: Ints(e, a, from, count, at, where); break;
            case UInt16Array a: Ints(e, a, from, count, at, where); break;
            case UInt32Array a: Ints(e, a, from, count, at, where); break;
            case UInt64Array a:
                for (int i = 0; i < count; i++)
                    if (a.GetValue(from + i) is { } v) e.Unsigned(at + i, v, where); else e.Missing(at + i, where);
                break;
            case FloatArray a:
                for (int i = 0; i < count; i++)
                    if (a.GetValue(from + i) is { } v) e.Real(at + i, v, where); else e.Missing(at + i, where);
                break;
            case DoubleArray a:
                for (int i = 0; i < count; i++)
                    if (a.GetValue(from + i) is { } v) e.Real(at + i, v, where); else e.Missing(at + i, where);
                break;
            case BooleanArray a:
                for (int i = 0; i < count; i++)
                    if (a.GetValue(from + i) is { } v) e.Bool(at + i, v, where); else e.Missing(at + i, where);
                break;
            case StringArray a:
                for (int i = 0; i < count; i++)
                    if (a.IsNull(from + i)) e.Missing(at + i, where);
                    else if (e.Spec.Kind == ColumnKind.Categorical) e.Category(at + i, a.GetString(from + i), where);
                    else e.Text(at + i, a.GetString(from + i), where);
                break;
            case DictionaryArray a when a.Dictionary is StringArray dict:
                for (int i = 0; i < count; i++)
                    if (a.IsNull(from + i)) e.Missing(at + i, where);
                    else e.Category(at + i, dict.GetString(checked((int)Index(a.Indices, from + i))), where);
                break;
            default:
                throw new SchemaException($"{where(at)}: Arrow type {array.Data.DataType.Name} cannot hold {ColumnEncoder.KindWords(e.Spec)}.");
        }
    }

    static void Ints<T>(ColumnEncoder e, PrimitiveArray<T> a, int from, int count, int at, Func<int, string> where)
        where T : struct, IBinaryInteger<T>
    {
        for (int i = 0; i < count; i++)
            if (a.GetValue(from + i) is { } v) e.Integer(at + i, long.CreateChecked(v), where); else e.Missing(at + i, where);
    }

    static long Index(IArrowArray indices, int i) => indices switch
    {
        Int8Array a => a.GetValue(i)!.Value,
        Int16Array a => a.GetValue(i)!.Value,
        Int32Array a => a.GetValue(i)!.Value,
        Int64Array a => a.GetValue(i)!.Value,
        UInt8Array a => a.GetValue(i)!.Value,
        UInt16Array a => a.GetValue(i)!.Value,
        UInt32Array a => a.GetValue(i)!.Value,
        _ => throw new SchemaException($"Dictionary indices of type {indices.Data.DataType.Name} are not supported."),
    };

    public void Dispose()
    {
        _batch?.Dispose();
        _reader?.Dispose();   // null only when the constructor failed
        _stream.Dispose();
    }
}
