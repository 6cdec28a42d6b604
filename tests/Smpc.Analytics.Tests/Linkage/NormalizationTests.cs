using Smpc.Analytics.Linkage;

namespace Smpc.Analytics.Tests.Linkage;

/// <summary>Test vectors for the normalisation functions every contributor applies before pseudonymising.</summary>
public class NormalizationTests
{
    [Theory]
    [InlineData("123-45-6780", "123456780")]
    [InlineData("123 45 6780", "123456780")]
    [InlineData("123.45.6780", "123456780")]
    [InlineData("123456780", "123456780")]
    [InlineData("  012-34-5678 ", "012345678")]      // leading zero kept
    [InlineData("001-01-0001", "001010001")]
    [InlineData("899-99-9998", "899999998")]
    [InlineData("12345678", "012345678")]            // a number that lost its leading zero (digits only)
    [InlineData("1234567", "001234567")]
    public void Ssn_layouts_give_nine_digits(string input, string expected) => Assert.Equal(expected, Normalize.Ssn(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("000-12-3456")]   // area 000
    [InlineData("666-12-3456")]   // area 666
    [InlineData("900-12-3456")]   // area 9xx
    [InlineData("987-65-4321")]
    [InlineData("123-00-4567")]   // group 00
    [InlineData("123-45-0000")]   // serial 0000
    [InlineData("111-11-1111")]   // all digits equal
    [InlineData("888888888")]
    [InlineData("078-05-1120")]   // Woolworth wallet card
    [InlineData("219-09-9999")]   // advertisement
    [InlineData("123-45-6789")]   // placeholder
    [InlineData("123456")]        // 6 digits
    [InlineData("1234-5678")]     // 8 digits with a separator: not a number that lost zeros
    [InlineData("1234567890")]    // 10 digits
    [InlineData("12-345-6789")]   // wrong grouping
    [InlineData("123--45-6789")]  // double separator
    [InlineData("123-45-678O")]   // letter O
    [InlineData("SSN 123456780")]
    public void Invalid_ssns_are_missing(string? input) => Assert.Null(Normalize.Ssn(input));

    [Theory]
    [InlineData(12345678L, "012345678")]     // a number that lost its leading zero
    [InlineData(123456780L, "123456780")]
    [InlineData(0L, null)]
    [InlineData(-5L, null)]
    [InlineData(1234567890L, null)]
    [InlineData(666123456L, null)]
    public void Ssn_from_a_number_is_zero_padded_and_checked(long input, string? expected) => Assert.Equal(expected, Normalize.Ssn(input));

    [Theory]
    [InlineData("Smith", "SMITH")]
    [InlineData("  smith  ", "SMITH")]
    [InlineData("O'Brien", "OBRIEN")]
    [InlineData("O’Brien", "OBRIEN")]                 // typographic apostrophe
    [InlineData("Smith-Jones", "SMITHJONES")]
    [InlineData("Smith Jones", "SMITHJONES")]
    [InlineData("de la Cruz", "DELACRUZ")]
    [InlineData("García", "GARCIA")]
    [InlineData("Müller", "MULLER")]
    [InlineData("Mu\u0308ller", "MULLER")]            // decomposed ü (u + combining diaeresis)
    [InlineData("Núñez", "NUNEZ")]
    [InlineData("Dvořák", "DVORAK")]
    [InlineData("Øster", "OSTER")]
    [InlineData("Łukasiewicz", "LUKASIEWICZ")]
    [InlineData("Straße", "STRASSE")]
    [InlineData("Ærø", "AERO")]
    [InlineData("Şahin", "SAHIN")]
    [InlineData("Nguyễn", "NGUYEN")]                  // Vietnamese: Latin Extended Additional
    [InlineData("Smith, Jr.", "SMITH")]
    [InlineData("SMITH JR", "SMITH")]
    [InlineData("Smith Sr", "SMITH")]
    [InlineData("King III", "KING")]
    [InlineData("King II", "KING")]
    [InlineData("King IV", "KING")]
    [InlineData("Dr. Smith", "SMITH")]
    [InlineData("Jr", "JR")]                          // a suffix alone is kept: it is the whole name
    [InlineData("Smith2", "SMITH")]                   // digits dropped
    public void Surnames_are_canonical(string input, string expected) => Assert.Equal(expected, Normalize.Surname(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("-- ,. ")]
    [InlineData("123")]
    public void Empty_names_are_missing(string? input)
    {
        Assert.Null(Normalize.Surname(input));
        Assert.Null(Normalize.GivenName(input));
    }

    [Theory]
    [InlineData("John", "JOHN")]
    [InlineData("john q.", "JOHN")]
    [InlineData("Mary Ann", "MARY")]
    [InlineData("José", "JOSE")]
    [InlineData("ZOË", "ZOE")]
    [InlineData("François", "FRANCOIS")]
    [InlineData("Jean-Luc", "JEANLUC")]
    [InlineData("Mr. John Smith", "JOHN")]
    [InlineData("Siobhán", "SIOBHAN")]
    public void Given_names_are_the_first_canonical_word(string input, string expected) => Assert.Equal(expected, Normalize.GivenName(input));

    static readonly DateOnly Latest = new(2026, 1, 1);

    [Theory]
    [InlineData("1970-03-05")]
    [InlineData("1970/03/05")]
    [InlineData("1970.3.5")]
    [InlineData("1970-03-05T00:00:00Z")]
    [InlineData("1970-03-05 13:45:00")]
    [InlineData("19700305")]
    [InlineData("3/5/1970")]
    [InlineData("03/05/1970")]
    [InlineData("03-05-1970")]
    [InlineData("5-Mar-1970")]
    [InlineData("05-MAR-1970")]
    [InlineData("05 March 1970")]
    [InlineData("05MAR1970")]
    [InlineData("Mar 5, 1970")]
    [InlineData("March 5 1970")]
    [InlineData(" 1970-03-05 ")]
    public void Dates_of_birth_in_common_layouts_are_the_same_date(string input) =>
        Assert.Equal(new DateOnly(1970, 3, 5), Normalize.DateOfBirth(input, Latest));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1970-02-30")]        // no such day
    [InlineData("2/29/1971")]          // not a leap year
    [InlineData("1970-13-01")]
    [InlineData("13/05/1970")]         // day-first is not accepted (month 13)
    [InlineData("5/3/70")]             // two-digit year: century ambiguous
    [InlineData("1879-12-31")]         // before the earliest accepted date
    [InlineData("2030-01-01")]         // in the future
    [InlineData("5-Xyz-1970")]
    [InlineData("5-Ma-1970")]          // month abbreviation too short
    [InlineData("1970-03")]
    [InlineData("yesterday")]
    [InlineData("1970-03-05x")]
    public void Impossible_or_ambiguous_dates_are_missing(string? input) => Assert.Null(Normalize.DateOfBirth(input, Latest));

    [Fact]
    public void Leap_day_and_canonical_text()
    {
        Assert.Equal(new DateOnly(1972, 2, 29), Normalize.DateOfBirth("2/29/1972", Latest));
        Assert.Equal("19720229", Normalize.Canonical(new DateOnly(1972, 2, 29)));
        Assert.Equal(new DateOnly(1980, 9, 1), Normalize.DateOfBirth("1-Sept-1980", Latest));
    }

    [Theory]
    [InlineData("05.03.1970", "dd.MM.yyyy", "1970-03-05")]     // a declared day-first layout is read as declared
    [InlineData("5/3/1970", "d/M/yyyy", "1970-03-05")]
    [InlineData("13.03.1970", "MM.dd.yyyy", null)]             // not day first: the usual layouts, where 13.03.1970 is no date
    [InlineData("03/05/1970", "MM/dd/yyyy", "1970-03-05")]
    [InlineData("1970-03-05", "yyyy-MM-dd", "1970-03-05")]
    [InlineData("1970-03-05", "dd.MM.yyyy", null)]             // a value off the declared day-first layout is missing, never guessed
    [InlineData("05.03.1970", null, "1970-05-03")]             // undeclared, numeric dates read month first
    public void A_declared_day_first_layout_is_read_as_declared(string input, string? layout, string? expected) =>
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Normalize.DateOfBirth(input, layout, Latest));

    [Theory]
    [InlineData("M", "M")] [InlineData("m", "M")] [InlineData(" Male ", "M")] [InlineData("MAN", "M")] [InlineData("1", "M")]
    [InlineData("F", "F")] [InlineData("female", "F")] [InlineData("Woman", "F")] [InlineData("2", "F")]
    [InlineData("U", null)] [InlineData("X", null)] [InlineData("0", null)] [InlineData("9", null)] [InlineData("unknown", null)]
    [InlineData("", null)] [InlineData(null, null)]
    public void Sex_codes(string? input, string? expected) => Assert.Equal(expected, Normalize.Sex(input));

    [Fact]
    public void Linkage_keys_of_two_spellings_of_one_person_are_equal()
    {
        var a = new Smpc.Analytics.Columnar.PlainTable("a")
            .Add("ssn", new object?[] { "012-34-5678", null })
            .Add("last_name", new object?[] { "García, Jr.", "García" }).Add("first_name", new object?[] { "José Q.", "José" })
            .Add("dob", new object?[] { "3/5/1970", "1970-02-30" }).Add("sex", new object?[] { "Male", "M" });
        var b = new Smpc.Analytics.Columnar.PlainTable("b")
            .Add("ssn", new object?[] { 12345678L, "000-12-3456" })
            .Add("last_name", new object?[] { "GARCIA", "garcia" }).Add("first_name", new object?[] { "jose", "JOSE" })
            .Add("dob", new object?[] { new DateOnly(1970, 3, 5), "1970-02-28" }).Add("sex", new object?[] { 1L, "m" });
        var ssn = LinkageKey.Ssn();
        var nds = LinkageKey.NameDateOfBirthSex(latestDateOfBirth: Latest);
        Assert.Equal("ssn:012345678", ssn.KeyOf(a, 0));
        Assert.Equal(ssn.KeyOf(a, 0), ssn.KeyOf(b, 0));
        Assert.Null(ssn.KeyOf(a, 1));
        Assert.Null(ssn.KeyOf(b, 1));
        Assert.Equal("nds:GARCIA|JOSE|19700305|M", nds.KeyOf(a, 0));
        Assert.Equal(nds.KeyOf(a, 0), nds.KeyOf(b, 0));
        Assert.Null(nds.KeyOf(a, 1));                    // impossible date → no demographic key
        Assert.Equal("nds:GARCIA|JOSE|19700228|M", nds.KeyOf(b, 1));
    }

    [Fact]
    public void A_wrongly_typed_identifier_cell_is_an_error_naming_table_column_and_row()
    {
        var t = new Smpc.Analytics.Columnar.PlainTable("bank").Add("ssn", new object?[] { "123-45-6780", 3.5 });
        var e = Assert.Throws<LinkageException>(() => LinkageKey.Ssn().KeysOf(t));
        Assert.Contains("'bank'.'ssn' row 1", e.Message);
    }
}
