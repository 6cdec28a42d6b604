using System.Globalization;
using Microsoft.Data.Analysis;
using Smpc.Analytics.Columnar;
using Smpc.Analytics.Statistics;

namespace Smpc.Analytics.Studies;

/// <summary>
/// Drafts a schema from a contributor's own file (<c>smpc schema infer</c>) for the steward to read and edit:
/// <list type="bullet">
/// <item>identifiers — the columns listed in <see cref="InferenceOptions.Identifiers"/>, and columns recognised by name
/// (ssn, first_name, surname, dob, date_of_birth, …_id) or by values (SSN-shaped text, dates); each with its kind and
/// the layout seen (a date layout as a .NET pattern, so a day-first date is read as declared);</item>
/// <item>booleans (true/false), integers and fixed-point numbers with fraction bits enough for the decimals seen;
/// declared bounds are the observed range with each end moved out by half and rounded outward (a non-negative column
/// keeps min 0), said in a note;</item>
/// <item>categorical columns over their observed values when there are at most <see cref="InferenceOptions.MaxCategories"/>;
/// any other text column becomes an identifier (record id), so it is never shared until the steward decides;</item>
/// <item>nullable wherever a value is missing.</item>
/// </list>
/// Problems of the file's form (encoding, quoting, duplicate or empty header, no rows) are refused as in validation.
/// </summary>
public static class SchemaInference
{
    public static InferredSchema Infer(string path, InferenceOptions? options = null)
    {
        options ??= new InferenceOptions();
        var raw = DatasetReader.Load(path, DatasetReader.DefaultMaxProblems);
        return Infer(raw, options.Name ?? Path.GetFileNameWithoutExtension(path), options);
    }

    public static InferredSchema Infer(DataFrame frame, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        options ??= new InferenceOptions();
        string name = options.Name ?? "dataset";
        return Infer(TypedSources.Frame(frame, $"DataFrame '{name}'", DatasetReader.DefaultMaxProblems), name, options);
    }

    static InferredSchema Infer(RawData raw, string name, InferenceOptions options)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new QueryException("The dataset needs a name (--name).");
        if (options.MaxCategories < 1) throw new QueryException($"At most {options.MaxCategories} categories: give a positive number.");
        var problems = raw.Problems;
        for (int k = 0; k < raw.Header.Count; k++)
        {
            if (raw.Header[k].Length == 0) problems.Add(raw.AtHeader(DataProblemKind.Malformed, k, null, $"field {k + 1} of the header has no column name"));
            else if (raw.Header.IndexOf(raw.Header[k]) < k) problems.Add(raw.AtHeader(DataProblemKind.DuplicateHeader, k, raw.Header[k], "the header names this column twice"));
        }
        if (problems.Count == 0 && (raw.Header.Count == 0 || raw.Rows.Count == 0))
            problems.Add(new DataProblem(DataProblemKind.EmptyFile, raw.File, 1, 1, null, "the file has no data rows to infer a schema from") { IsTextLine = raw.IsText });
        if (problems.Count > 0) throw new DataValidationException(raw.File, problems.Items, problems.Full);
        var unknown = options.Identifiers.Concat(options.IdentifierKinds.Keys).Distinct().Where(i => !raw.Header.Contains(i)).ToList();
        if (unknown.Count > 0)
            throw new QueryException($"--identifiers names columns '{raw.File}' does not have: {string.Join(", ", unknown)}. Columns: {string.Join(", ", raw.Header)}.");

        var profiles = raw.Header.Select(h => new ColumnProfile(h, options.MaxCategories)).ToArray();
        foreach (var row in raw.Rows)
            for (int k = 0; k < profiles.Length; k++) profiles[k].Add(row.Cells[k]);

        var notes = new List<string>();
        var columns = new List<ColumnSpec>();
        var identifiers = new List<IdentifierSpec>();
        foreach (var p in profiles)
        {
            bool declared = options.Identifiers.Contains(p.Name);
            if (options.IdentifierKinds.TryGetValue(p.Name, out var given)) identifiers.Add(Identifier(p, given, notes));
            else if (IdentifierKindOf(p, declared, notes) is { } kind) identifiers.Add(Identifier(p, kind, notes));
            else if (Column(p, options, notes) is { } spec) columns.Add(spec);
            else identifiers.Add(Identifier(p, IdentifierKind.RecordId, notes));
            if (p.Missing > 0)
                notes.Add(Invariant($"column '{p.Name}': {p.Missing:N0} of {p.Rows:N0} values are missing, so it is nullable."));
        }
        if (columns.Count == 0) notes.Add("no analysis column was found: every column is an identifier. Edit the schema before contributing.");
        var schema = new TableSchema
        {
            Name = name,
            Columns = columns,
            Identifiers = identifiers,
            Description = Invariant($"Drafted by smpc schema infer from {raw.File} ({raw.Rows.Count:N0} rows); review kinds, bounds and domains before use."),
        };
        if (columns.Count > 0) schema.Validate();
        return new InferredSchema(schema, notes);
    }

    /// <summary>An identifier kind when the column is declared one or recognised as one; null for an analysis column.</summary>
    static IdentifierKind? IdentifierKindOf(ColumnProfile p, bool declared, List<string> notes)
    {
        var byName = KindByName(p.Name);
        if (byName is { } named) return named;
        double ssnShare = p.Present == 0 ? 0 : p.SsnLike / (double)p.Present;
        bool ssnByValues = p.AnyText && ssnShare >= 0.95 && p.SsnLayouts().Contains("ddd", StringComparison.Ordinal);   // with separators: not just a 9-digit number
        bool dateByValues = p.AnyText && !p.AllNumber && p.DateShare >= 0.9;
        if (ssnByValues || declared && ssnShare >= 0.95)
        {
            notes.Add($"column '{p.Name}': recognised as an SSN by its values ({p.SsnLayouts()}).");
            return IdentifierKind.Ssn;
        }
        if (dateByValues)
        {
            notes.Add($"column '{p.Name}': holds dates; declared as the date of birth (the only date a study reads). Remove it if it is another date.");
            return IdentifierKind.DateOfBirth;
        }
        if (declared)
        {
            notes.Add($"column '{p.Name}': declared an identifier; its kind was not recognised, so it is a record id. Set its kind (ssn, firstName, lastName, dateOfBirth, sex) if it links.");
            return IdentifierKind.RecordId;
        }
        return null;
    }

    static IdentifierKind? KindByName(string column)
    {
        var n = new string(column.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        return n switch
        {
            "ssn" or "socialsecuritynumber" or "socialsecurityno" or "socsecno" => IdentifierKind.Ssn,
            "firstname" or "givenname" or "forename" or "fname" => IdentifierKind.FirstName,
            "lastname" or "surname" or "familyname" or "lname" => IdentifierKind.LastName,
            "dob" or "dateofbirth" or "birthdate" or "birthday" => IdentifierKind.DateOfBirth,
            "namesuffix" or "suffix" => IdentifierKind.NameSuffix,
            "id" or "recordid" => IdentifierKind.RecordId,
            _ when column.EndsWith("_id", StringComparison.OrdinalIgnoreCase) || column.EndsWith("Id", StringComparison.Ordinal) => IdentifierKind.RecordId,
            _ => null,
        };
    }

    static IdentifierSpec Identifier(ColumnProfile p, IdentifierKind kind, List<string> notes)
    {
        string? format = kind switch
        {
            IdentifierKind.Ssn => p.SsnLayouts() is { Length: > 0 } l ? l : null,
            IdentifierKind.DateOfBirth => p.DateLayout(),
            _ => null,
        };
        if (kind == IdentifierKind.DateOfBirth && format is null)
            notes.Add($"column '{p.Name}': no single date layout reads 90% of its values; the study will recognise ISO, yyyymmdd, month-first and month-name dates.");
        if (kind == IdentifierKind.RecordId && p.TooManyDistinct && !KindByName(p.Name).HasValue)
            notes.Add(Invariant($"column '{p.Name}': text with more than {p.Distinct.Count - 1} distinct values, too many for a category: declared an identifier (record id), so it is never shared. Give it its kind if it is a name for linkage, or remove it."));
        return new IdentifierSpec { Name = p.Name, Kind = kind, Format = format, Nullable = p.Missing > 0 };
    }

    static ColumnSpec? Column(ColumnProfile p, InferenceOptions options, List<string> notes)
    {
        if (p.Present == 0)
        {
            notes.Add($"column '{p.Name}': every value is missing; declared categorical over (\"missing\") — give it its kind or remove it.");
            return new ColumnSpec { Name = p.Name, Kind = ColumnKind.Categorical, Domain = ["missing"], Nullable = true };
        }
        if (p.AllBool) return new ColumnSpec { Name = p.Name, Kind = ColumnKind.Boolean, Nullable = p.Missing > 0 };
        if (p.AllInteger && p.Min >= 0 && p.Max <= 1 && p.Distinct.Count == 2)
        {
            notes.Add($"column '{p.Name}': holds only 0 and 1, so it is boolean; make it an integer if it counts something.");
            return new ColumnSpec { Name = p.Name, Kind = ColumnKind.Boolean, Nullable = p.Missing > 0 };
        }
        if (p.AllNumber)
        {
            var (lo, hi) = Bounds(p.Min, p.Max);
            if (p.AllInteger)
            {
                notes.Add(Invariant($"column '{p.Name}': integers {p.Min:G} … {p.Max:G} seen; declared [{lo:G}, {hi:G}] (each end moved out by half, rounded outward). Edit if the true range differs."));
                return new ColumnSpec { Name = p.Name, Kind = ColumnKind.Integer, Min = lo, Max = hi, Nullable = p.Missing > 0 };
            }
            int bits = FractionBits(p.MaxDecimals, Math.Max(Math.Abs(lo), Math.Abs(hi)));
            notes.Add(Invariant($"column '{p.Name}': numbers {p.Min:G} … {p.Max:G} with up to {p.MaxDecimals} decimals seen; declared [{lo:G}, {hi:G}] (each end moved out by half, rounded outward) with {bits} fraction bits (resolution {Math.ScaleB(1, -bits):G3}). Edit if the true range differs."));
            return new ColumnSpec { Name = p.Name, Kind = ColumnKind.FixedPoint, FractionBits = bits, Min = lo, Max = hi, Nullable = p.Missing > 0 };
        }
        if (!p.TooManyDistinct && (p.Distinct.Count < p.Present || p.Distinct.Count <= 2))
        {
            var domain = p.Distinct.Order(StringComparer.Ordinal).ToArray();
            notes.Add($"column '{p.Name}': categorical over the {domain.Length} values seen; add any value the file does not hold yet, and order them as tables should show them.");
            return new ColumnSpec { Name = p.Name, Kind = ColumnKind.Categorical, Domain = domain, Nullable = p.Missing > 0 };
        }
        return null;   // free text: an identifier (record id), never shared
    }

    /// <summary>Each end of the observed range moved out by half its magnitude (at least 1) and rounded outward to a
    /// round number; a non-negative column keeps 0 as its minimum, a non-positive one 0 as its maximum.</summary>
    internal static (double Min, double Max) Bounds(double min, double max)
    {
        double lo = min >= 0 ? 0 : -RoundUp(Math.Max(-min * 1.5, -min + 1));
        double hi = max <= 0 ? 0 : RoundUp(Math.Max(max * 1.5, max + 1));
        return (lo, hi);
    }

    /// <summary>The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above <paramref name="x"/>.</summary>
    static double RoundUp(double x)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(x)));
        foreach (var step in new[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
            if (step * p >= x) return step * p;
        return 10 * p;
    }

    /// <summary>Enough fraction bits to tell values <paramref name="decimals"/> decimals apart (2 decimals → 8 bits),
    /// at most 16, and few enough that <paramref name="magnitude"/> fits the fixed-point range.</summary>
    static int FractionBits(int decimals, double magnitude)
    {
        int bits = Math.Clamp((int)Math.Ceiling(decimals * Math.Log2(10)) + 1, 1, 16);
        while (bits > 0 && magnitude >= Math.ScaleB(1.0, 62 - bits - 1)) bits--;
        return bits;
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
