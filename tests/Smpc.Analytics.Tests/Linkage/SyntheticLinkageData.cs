using Smpc.Analytics.Columnar;
using Smpc.Analytics.Engine;
using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>
/// Synthetic people and three contributors' datasets about them (veterans, bank customers, survey respondents),
/// written the way real extracts differ: SSNs with dashes, spaces, none or as numbers (leading zeros lost), missing,
/// invalid or mistyped; names in other cases, with or without diacritics, suffixes and middle initials, sometimes
/// misspelt; dates of birth in five layouts; sex in several codings; and the same person twice in one dataset.
/// Deterministic for a seed.
/// </summary>
public static class SyntheticLinkageData
{
    public sealed record Person(string Ssn, (string Display, string Ascii) Surname, (string Display, string Ascii) Given, DateOnly Dob, bool Male);

    static readonly (string, string)[] Surnames =
    [
        ("Smith", "Smith"), ("García", "Garcia"), ("Müller", "Muller"), ("O'Brien", "OBrien"), ("Nguyen", "Nguyen"),
        ("de la Cruz", "De La Cruz"), ("Smith-Jones", "Smith Jones"), ("Øster", "Oster"), ("Kowalczyk", "Kowalczyk"),
        ("Johnson", "Johnson"), ("Dvořák", "Dvorak"), ("Núñez", "Nunez"), ("Lefèvre", "Lefevre"), ("Brown", "Brown"),
        ("Şahin", "Sahin"), ("Williams", "Williams"), ("Ångström", "Angstrom"), ("Lee", "Lee"), ("Walker", "Walker"), ("Çelik", "Celik"),
    ];

    static readonly (string, string)[] GivenNames =
    [
        ("José", "Jose"), ("Mary Ann", "Mary"), ("John", "John"), ("Zoë", "Zoe"), ("François", "Francois"), ("Anna", "Anna"),
        ("Björn", "Bjorn"), ("Renée", "Renee"), ("Michael", "Michael"), ("Siobhán", "Siobhan"), ("Wei", "Wei"), ("Łukasz", "Lukasz"),
        ("Emily", "Emily"), ("Ángel", "Angel"), ("David", "David"), ("Chloé", "Chloe"), ("Robert", "Robert"), ("Ines", "Ines"),
    ];

    static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static Person[] Population(int count, int seed)
    {
        var rng = new Random(seed);
        var ssns = new HashSet<string>();
        var people = new Person[count];
        for (int i = 0; i < count; i++)
        {
            string ssn;
            do ssn = $"{rng.Next(1, 900):D3}{rng.Next(1, 100):D2}{rng.Next(1, 10000):D4}";
            while (ssn.StartsWith("666") || Normalize.Ssn(ssn) is null || !ssns.Add(ssn));
            people[i] = new Person(ssn, Surnames[rng.Next(Surnames.Length)], GivenNames[rng.Next(GivenNames.Length)],
                new DateOnly(1940, 1, 1).AddDays(rng.Next(365 * 60)), rng.Next(2) == 0);
        }
        return people;
    }

    /// <summary>A raw contributor extract: identifier columns (ssn, last_name, first_name, dob, sex) plus payload.</summary>
    public sealed record Extract(PlainTable Raw, TableSchema Payload, int[] PersonOfRow);

    /// <summary>Rows for the given people (duplicates allowed), identifiers written with realistic variation.</summary>
    public static (object?[] Ssn, object?[] Last, object?[] First, object?[] Dob, object?[] Sex) Identifiers(Person[] people, int[] personOfRow, Random rng)
    {
        int n = personOfRow.Length;
        var ssn = new object?[n]; var last = new object?[n]; var first = new object?[n]; var dob = new object?[n]; var sex = new object?[n];
        for (int r = 0; r < n; r++)
        {
            var p = people[personOfRow[r]];
            ssn[r] = rng.Next(20) switch
            {
                0 or 1 => null,                                                        // missing
                2 => "000-" + p.Ssn[3..5] + "-" + p.Ssn[5..],                          // invalid area: treated as missing
                3 => Typo(p.Ssn, rng),                                                 // mistyped digit: links only in pass 2
                4 or 5 => long.Parse(p.Ssn),                                           // stored as a number (leading zeros lost)
                6 or 7 or 8 => $"{p.Ssn[..3]} {p.Ssn[3..5]} {p.Ssn[5..]}",
                9 or 10 or 11 => p.Ssn,
                _ => $"{p.Ssn[..3]}-{p.Ssn[3..5]}-{p.Ssn[5..]}",
            };
            var surname = rng.Next(3) == 0 ? p.Surname.Ascii : p.Surname.Display;
            surname = rng.Next(4) switch { 0 => surname.ToUpperInvariant(), 1 => surname.ToLowerInvariant(), _ => surname };
            if (rng.Next(8) == 0) surname += ", Jr.";
            if (rng.Next(6) == 0) surname = "  " + surname + " ";
            if (rng.Next(25) == 0) surname = Typo(surname, rng);                       // misspelt: no demographic link
            last[r] = surname;
            var given = rng.Next(3) == 0 ? p.Given.Ascii : p.Given.Display;
            if (rng.Next(5) == 0) given += " Q.";
            first[r] = rng.Next(3) == 0 ? given.ToUpperInvariant() : given;
            var d = p.Dob;
            dob[r] = rng.Next(6) switch
            {
                0 => d.ToString("yyyy-MM-dd"),
                1 => $"{d.Month}/{d.Day}/{d.Year}",
                2 => $"{d.Day:D2}-{Months[d.Month - 1]}-{d.Year}",
                3 => d.ToString("yyyyMMdd"),
                4 => $"{d.Day:D2}{Months[d.Month - 1].ToUpperInvariant()}{d.Year}",
                _ => d,
            };
            if (rng.Next(40) == 0) dob[r] = null;
            sex[r] = rng.Next(4) switch { 0 => p.Male ? "M" : "F", 1 => p.Male ? "male" : "Female", 2 => p.Male ? 1L : 2L, _ => p.Male ? "m" : "f" };
        }
        return (ssn, last, first, dob, sex);
    }

    static string Typo(string s, Random rng)
    {
        var c = s.ToCharArray();
        int i = rng.Next(c.Length);
        c[i] = char.IsDigit(c[i]) ? (char)('0' + (c[i] - '0' + 1 + rng.Next(8)) % 10) : c[i] == 'x' ? 'y' : 'x';
        return new string(c);
    }

    /// <summary>Row → person: a window of the population, shuffled, with some people twice.</summary>
    public static int[] Rows(int firstPerson, int people, int duplicates, Random rng)
    {
        var rows = Enumerable.Range(firstPerson, people).ToList();
        for (int k = 0; k < duplicates; k++) rows.Add(rows[rng.Next(people)]);
        return rows.OrderBy(_ => rng.Next()).ToArray();
    }

    static PlainTable WithIdentifiers(string name, Person[] people, int[] rows, Random rng)
    {
        var (ssn, last, first, dob, sex) = Identifiers(people, rows, rng);
        return new PlainTable(name).Add("ssn", ssn).Add("last_name", last).Add("first_name", first).Add("dob", dob).Add("sex", sex);
    }

    public static Extract Veterans(Person[] people, int firstPerson, int count, int duplicates, int seed)
    {
        var rng = new Random(seed);
        var rows = Rows(firstPerson, count, duplicates, rng);
        var raw = WithIdentifiers("veterans", people, rows, rng)
            .Add("vet_id", rows.Select((_, r) => (long)(1000 + r)).ToArray())
            .Add("disability_rating", rows.Select(_ => (double)rng.Next(0, 11) * 10).ToArray())
            .Add("branch", rows.Select(_ => (object)Branches[rng.Next(Branches.Length)]).ToArray())
            .Add("pension", rows.Select(_ => rng.Next(5) == 0 ? null : (object)(long)rng.Next(0, 50_000)).ToArray());
        var schema = new TableSchema
        {
            Name = "veterans",
            Columns =
            [
                new ColumnSpec { Name = "vet_id", Kind = ColumnKind.Integer, Min = 0, Max = 1_000_000 },
                new ColumnSpec { Name = "disability_rating", Kind = ColumnKind.FixedPoint, Min = 0, Max = 100 },
                new ColumnSpec { Name = "branch", Kind = ColumnKind.Categorical, Domain = Branches },
                new ColumnSpec { Name = "pension", Kind = ColumnKind.Integer, Min = 0, Max = 100_000, Nullable = true },
            ],
        };
        return new Extract(raw, schema, rows);
    }

    static readonly string[] Branches = ["Army", "Navy", "Air Force", "Marines"];

    public static Extract Bank(Person[] people, int firstPerson, int count, int duplicates, int seed)
    {
        var rng = new Random(seed);
        var rows = Rows(firstPerson, count, duplicates, rng);
        var raw = WithIdentifiers("bank", people, rows, rng)
            .Add("bank_id", rows.Select((_, r) => (long)(5000 + r)).ToArray())
            .Add("balance", rows.Select(_ => Math.Round(rng.NextDouble() * 20_000 - 2_000, 2)).ToArray())
            .Add("has_loan", rows.Select(_ => (object)(rng.Next(3) == 0)).ToArray());
        var schema = new TableSchema
        {
            Name = "bank",
            Columns =
            [
                new ColumnSpec { Name = "bank_id", Kind = ColumnKind.Integer, Min = 0, Max = 1_000_000 },
                new ColumnSpec { Name = "balance", Kind = ColumnKind.FixedPoint, Min = -1e6, Max = 1e6 },
                new ColumnSpec { Name = "has_loan", Kind = ColumnKind.Boolean },
            ],
        };
        return new Extract(raw, schema, rows);
    }

    public static Extract Survey(Person[] people, int firstPerson, int count, int duplicates, int seed)
    {
        var rng = new Random(seed);
        var rows = Rows(firstPerson, count, duplicates, rng);
        var raw = WithIdentifiers("survey", people, rows, rng)
            .Add("survey_id", rows.Select((_, r) => (long)(9000 + r)).ToArray())
            .Add("satisfaction", rows.Select(_ => rng.Next(6) == 0 ? null : (object)(long)rng.Next(1, 6)).ToArray());
        var schema = new TableSchema
        {
            Name = "survey",
            Columns =
            [
                new ColumnSpec { Name = "survey_id", Kind = ColumnKind.Integer, Min = 0, Max = 1_000_000 },
                new ColumnSpec { Name = "satisfaction", Kind = ColumnKind.Integer, Min = 1, Max = 5, Nullable = true },
            ],
        };
        return new Extract(raw, schema, rows);
    }

    public static readonly LinkageKey SsnKey = LinkageKey.Ssn();
    public static readonly LinkageKey DemographicKey = LinkageKey.NameDateOfBirthSex(latestDateOfBirth: new DateOnly(2026, 1, 1));
    public static readonly LinkageKey[] Keys = [SsnKey, DemographicKey];
    public static LinkagePass[] Passes => [LinkagePass.On(SsnKey, "ssn"), LinkagePass.On(DemographicKey, "name+dob+sex")];

    /// <summary>What a contributor does: prepare (normalise, pseudonymise) and share. Returns the shared table and the prepared plaintext.</summary>
    public static (SecretTable Shared, PreparedTable Prepared) Contribute(IComputeEngine engine, Extract e, IPseudonymiser pseudonymiser)
    {
        var prepared = LinkagePreparation.Prepare(e.Raw, e.Payload, Keys, pseudonymiser);
        return (ContributorEncoder.Share(engine, prepared.Schema, prepared.Data), prepared);
    }
}
