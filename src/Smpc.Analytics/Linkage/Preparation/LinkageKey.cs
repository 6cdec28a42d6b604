using System.Globalization;
using Smpc.Analytics.Columnar;

namespace Smpc.Analytics.Linkage;

/// <summary>
/// How a contributor builds one linkage key per row from identifier columns: the source columns, their
/// normalisation (<see cref="Normalize"/>) and the canonical key string that is pseudonymised. Key strings carry a
/// tag ("ssn:", "nds:") so keys of different kinds can never be equal. A row whose key cannot be built (any
/// component missing or invalid) has no key: it gets a random pseudonym and links to nothing on this key.
/// </summary>
public sealed class LinkageKey
{
    readonly Func<PlainTable, int, string?> _build;

    LinkageKey(string name, IReadOnlyList<string> sources, Func<PlainTable, int, string?> build, IReadOnlyList<string>? identifying = null)
    {
        Name = name;
        Sources = sources;
        Identifying = identifying ?? sources;
        _build = build;
    }

    /// <summary>Name of the pseudonym column this key becomes in the shared table.</summary>
    public string Name { get; }

    /// <summary>Columns the key is built from (checked against the data-use terms' LinkageColumns).</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The sources that identify a person (SSN, names, date of birth) and so must never be shared as payload.
    /// Sex is a source of the demographic key but may also be an analysis column.</summary>
    public IReadOnlyList<string> Identifying { get; }

    /// <summary>Key "ssn:<i>9 digits</i>" from one SSN column (text or integer).</summary>
    public static LinkageKey Ssn(string column = "ssn", string name = "ssn_key") =>
        new(name, [column], (t, r) => Normalized(t, column, r, SsnOf) is { } s ? "ssn:" + s : null);

    /// <summary>
    /// Key "nds:<i>SURNAME</i>|<i>GIVEN</i>|<i>yyyyMMdd</i>|<i>M/F</i>" from surname, given name, date of birth and sex —
    /// the usual second linkage pass for records whose SSN is missing or mistyped.
    /// </summary>
    public static LinkageKey NameDateOfBirthSex(string surname = "last_name", string givenName = "first_name", string dateOfBirth = "dob",
                                                string sex = "sex", string name = "demographic_key", DateOnly? latestDateOfBirth = null,
                                                string? dateLayout = null) =>
        new(name, [surname, givenName, dateOfBirth, sex], (t, r) =>
        {
            var person = NameAndDate(t, r, surname, givenName, dateOfBirth, latestDateOfBirth, dateLayout);
            var s = Normalized(t, sex, r, SexOf);
            return person is null || s is null ? null : $"nds:{person}|{s}";
        }, identifying: [surname, givenName, dateOfBirth]);

    /// <summary>
    /// Key "nd:<i>SURNAME</i>|<i>GIVEN</i>|<i>yyyyMMdd</i>" for datasets that do not record sex. Its strings
    /// never equal those of <see cref="NameDateOfBirthSex"/>: every table of a pass must use the same key kind.
    /// </summary>
    public static LinkageKey NameDateOfBirth(string surname = "last_name", string givenName = "first_name", string dateOfBirth = "dob",
                                             string name = "name_dob_key", DateOnly? latestDateOfBirth = null, string? dateLayout = null) =>
        new(name, [surname, givenName, dateOfBirth], (t, r) =>
            NameAndDate(t, r, surname, givenName, dateOfBirth, latestDateOfBirth, dateLayout) is { } person ? $"nd:{person}" : null);

    static string? NameAndDate(PlainTable t, int r, string surname, string givenName, string dateOfBirth, DateOnly? latest, string? layout)
    {
        var last = Normalized(t, surname, r, (v, w) => Normalize.Surname(Text(v, w)));
        var first = Normalized(t, givenName, r, (v, w) => Normalize.GivenName(Text(v, w)));
        var dob = Normalized(t, dateOfBirth, r, (v, w) => DateOf(v, w, latest, layout));
        return last is null || first is null || dob is null ? null : $"{last}|{first}|{dob}";
    }

    /// <summary>The key string of one row of the contributor's raw table, or null when it has none.</summary>
    public string? KeyOf(PlainTable raw, int row) => _build(raw, row);

    /// <summary>Key strings of every row.</summary>
    public string?[] KeysOf(PlainTable raw)
    {
        foreach (var c in Sources)
            if (!raw.Has(c)) throw new LinkageException($"Linkage key '{Name}' needs column '{c}', which table '{raw.Name}' does not have. Columns: {string.Join(", ", raw.ColumnNames)}.");
        var keys = new string?[raw.RowCount];
        // Rows in ranges on every core (normalising is per row and pure); a bad value is reported as the first in the file.
        WorkRanges.ForFirstErrorInOrder(keys.Length, 4096, (from, to) => { for (int r = from; r < to; r++) keys[r] = _build(raw, r); });
        return keys;
    }

    static string? Normalized(PlainTable t, string column, int row, Func<object, Cell, string?> f)
    {
        var v = t.Value(column, row);
        return v is null ? null : f(v, new Cell(t, column, row));
    }

    /// <summary>Where a value is, for an error message: formatted only when one is raised (not once per value).</summary>
    readonly record struct Cell(PlainTable Table, string Column, int Row)
    {
        public override string ToString() => $"'{Table.Name}'.'{Column}' row {Row}";
    }

    static string? Text(object v, Cell where) => v as string
        ?? throw new LinkageException($"{where}: expected text, got {v.GetType().Name}.");

    static string? SsnOf(object v, Cell where) => v switch
    {
        string s => Normalize.Ssn(s),
        long l => Normalize.Ssn(l),
        int i => Normalize.Ssn(i),
        _ => throw new LinkageException($"{where}: an SSN must be text or an integer, not {v.GetType().Name}."),
    };

    static string? DateOf(object v, Cell where, DateOnly? latest, string? layout)
    {
        DateOnly? d = v switch
        {
            string s => Normalize.DateOfBirth(s, layout, latest),
            DateOnly x => Normalize.DateOfBirth(x, latest),
            DateTime x => Normalize.DateOfBirth(DateOnly.FromDateTime(x), latest),
            _ => throw new LinkageException($"{where}: a date of birth must be text, DateOnly or DateTime, not {v.GetType().Name}."),
        };
        return d is { } date ? Normalize.Canonical(date) : null;
    }

    static string? SexOf(object v, Cell where) => v switch
    {
        string s => Normalize.Sex(s),
        char c => Normalize.Sex(c.ToString(CultureInfo.InvariantCulture)),
        long l => Normalize.Sex(l),
        int i => Normalize.Sex(i),
        _ => throw new LinkageException($"{where}: sex must be text or an ISO/IEC 5218 code, not {v.GetType().Name}."),
    };
}
