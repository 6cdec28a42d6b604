using System.Globalization;
using System.Text;

namespace Smpc.Analytics.Statistics;

/// <summary>Recursive-descent parser for <see cref="RowFilter.Parse"/>.</summary>
internal sealed class FilterParser
{
    readonly string _text;
    readonly List<(string Token, int At, bool Quoted)> _tokens = [];
    int _pos;

    public FilterParser(string text)
    {
        _text = text;
        Tokenize();
    }

    void Tokenize()
    {
        int i = 0;
        while (i < _text.Length)
        {
            char c = _text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (c is '(' or ')' or ',') { _tokens.Add((c.ToString(), start, false)); i++; continue; }
            if (c is '<' or '>' or '=' or '!')
            {
                i++;
                if (i < _text.Length && _text[i] == '=') i++;
                _tokens.Add((_text[start..i], start, false));
                continue;
            }
            if (c is '\'' or '"')
            {
                var sb = new StringBuilder();
                i++;
                while (i < _text.Length && _text[i] != c) sb.Append(_text[i++]);
                if (i >= _text.Length) throw Error(start, "unterminated quoted value");
                i++;
                _tokens.Add((sb.ToString(), start, true));
                continue;
            }
            while (i < _text.Length && !char.IsWhiteSpace(_text[i]) && _text[i] is not ('(' or ')' or ',' or '<' or '>' or '=' or '!' or '\'' or '"')) i++;
            _tokens.Add((_text[start..i], start, false));
        }
    }

    FilterSyntaxException Error(int at, string what) =>
        new($"Filter '{_text}': {what} at position {at + 1}.");

    (string Token, int At, bool Quoted)? Peek => _pos < _tokens.Count ? _tokens[_pos] : null;

    bool IsKeyword(string word) => Peek is { Quoted: false } t && string.Equals(t.Token, word, StringComparison.OrdinalIgnoreCase);

    (string Token, int At, bool Quoted) Next(string expected)
    {
        if (Peek is not { } t) throw Error(_text.Length, $"expected {expected} but the filter ended");
        _pos++;
        return t;
    }

    public void ExpectEnd()
    {
        if (Peek is { } t) throw Error(t.At, $"unexpected '{t.Token}'");
    }

    public RowFilter ParseOr()
    {
        var left = ParseAnd();
        while (IsKeyword("or")) { _pos++; left = new RowFilter.Any(left, ParseAnd()); }
        return left;
    }

    RowFilter ParseAnd()
    {
        var left = ParseUnary();
        while (IsKeyword("and")) { _pos++; left = new RowFilter.All(left, ParseUnary()); }
        return left;
    }

    RowFilter ParseUnary()
    {
        if (IsKeyword("not")) { _pos++; return new RowFilter.Negation(ParseUnary()); }
        if (Peek is { Token: "(", Quoted: false })
        {
            _pos++;
            var inner = ParseOr();
            var close = Next("')'");
            if (close.Token != ")" || close.Quoted) throw Error(close.At, $"expected ')' but found '{close.Token}'");
            return inner;
        }
        return ParseAtom();
    }

    RowFilter ParseAtom()
    {
        var column = Next("a column name");
        if (column.Quoted || column.Token is "(" or ")" or ",") throw Error(column.At, $"expected a column name but found '{column.Token}'");
        if (IsKeyword("in"))
        {
            _pos++;
            var open = Next("'('");
            if (open.Token != "(") throw Error(open.At, $"expected '(' after 'in' but found '{open.Token}'");
            var values = new List<string>();
            while (true)
            {
                var v = Next("a value");
                if (!v.Quoted && v.Token is "(" or ")" or ",") throw Error(v.At, $"expected a value but found '{v.Token}'");
                values.Add(v.Token);
                var sep = Next("',' or ')'");
                if (sep.Token == ")") break;
                if (sep.Token != ",") throw Error(sep.At, $"expected ',' or ')' but found '{sep.Token}'");
            }
            return new RowFilter.Membership(column.Token, values);
        }
        var opToken = Next("a comparison operator");
        CompareOp op = opToken.Token switch
        {
            "<" => CompareOp.Less, "<=" => CompareOp.LessOrEqual, ">" => CompareOp.Greater, ">=" => CompareOp.GreaterOrEqual,
            "==" or "=" => CompareOp.Equal, "!=" => CompareOp.NotEqual,
            _ => throw Error(opToken.At, $"expected a comparison operator (<, <=, >, >=, ==, !=) or 'in' but found '{opToken.Token}'"),
        };
        var number = Next("a number");
        if (!double.TryParse(number.Token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw Error(number.At, $"'{number.Token}' is not a number (use 'in (...)' for categorical values)");
        return new RowFilter.Comparison(column.Token, op, value);
    }
}
