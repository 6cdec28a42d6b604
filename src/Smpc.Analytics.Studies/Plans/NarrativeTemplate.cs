using System.Globalization;

namespace Smpc.Analytics.Studies.Plans;

/// <summary>
/// A narrative sentence with templates in braces, filled from one release's cells:
/// <list type="bullet">
/// <item><c>{mean(balance)@70-100}</c>: the value column <c>mean(balance)</c> in the row whose key is <c>70-100</c>
/// (several key columns: keys joined by '|'; a table without key columns: no '@');</item>
/// <item>arithmetic on cells and numbers with operators between spaces: <c>{mean(balance)@70-100 - mean(balance)@none}</c>,
/// <c>{coefficient@age * 10}</c> (* and / before + and -);</item>
/// <item><c>{suppressed}</c>: the number of suppressed cells; <c>{?suppressed:TEXT}</c>: TEXT when a cell is suppressed.</item>
/// </list>
/// A sentence is left out when one of its cells is suppressed (or undefined), or when it states <c>{suppressed}</c> and
/// nothing was suppressed: the narrative says only what was released.
/// </summary>
public static class NarrativeTemplate
{
    /// <summary>The value of a cell (column, keys): null when suppressed; throws <see cref="KeyNotFoundException"/> when the
    /// release has no such column or row.</summary>
    public delegate double? CellLookup(string column, string[] keys);

    /// <summary>Fills <paramref name="sentence"/>; null when it is left out.</summary>
    public static string? Fill(string sentence, CellLookup cell, int suppressed, Func<double, string> format)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (text, expression) in Parts(sentence))
        {
            if (expression is null) { sb.Append(text); continue; }
            if (expression == "suppressed")
            {
                if (suppressed == 0) return null;
                sb.Append(suppressed.ToString(CultureInfo.InvariantCulture));
            }
            else if (expression.StartsWith("?suppressed:", StringComparison.Ordinal))
            {
                if (suppressed > 0) sb.Append(expression["?suppressed:".Length..]);
            }
            else if (Evaluate(expression, cell) is { } v && double.IsFinite(v)) sb.Append(format(v));
            else return null;
        }
        return sb.ToString();
    }

    /// <summary>The problem with <paramref name="sentence"/>'s braces, or null when it is well formed.</summary>
    public static string? Problem(string sentence)
    {
        try
        {
            foreach (var (_, expression) in Parts(sentence))
                if (expression is not null && expression != "suppressed" && !expression.StartsWith("?suppressed:", StringComparison.Ordinal))
                    Evaluate(expression, (_, _) => 1);
            return null;
        }
        catch (FormatException e) { return e.Message; }
    }

    /// <summary>The sentence split into literal text and expressions (the text inside braces).</summary>
    static IEnumerable<(string Text, string? Expression)> Parts(string sentence)
    {
        int at = 0;
        while (at < sentence.Length)
        {
            int open = sentence.IndexOf('{', at), close = sentence.IndexOf('}', at);
            if (open < 0)
            {
                if (close >= 0) throw new FormatException($"a '}}' without its '{{' at character {close + 1}");
                yield return (sentence[at..], null);
                yield break;
            }
            if (close >= 0 && close < open) throw new FormatException($"a '}}' without its '{{' at character {close + 1}");
            int end = sentence.IndexOf('}', open);
            if (end < 0) throw new FormatException($"the '{{' at character {open + 1} is not closed");
            if (sentence.IndexOf('{', open + 1) is var nested and >= 0 && nested < end) throw new FormatException($"braces nest at character {nested + 1}");
            string inner = sentence[(open + 1)..end].Trim();
            if (inner.Length == 0) throw new FormatException($"empty braces at character {open + 1}");
            yield return (sentence[at..open], null);
            yield return ("", inner);
            at = end + 1;
        }
    }

    /// <summary>Sum of products of terms: operators are " + ", " - ", " * ", " / " (with spaces, so keys such as
    /// "70-100" or "Post-9/11" stay whole). Null when a cell is suppressed.</summary>
    static double? Evaluate(string expression, CellLookup cell)
    {
        var tokens = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Rejoin the pieces of a term that holds spaces (a key such as "Gulf War"): an operator is a token of its own.
        var items = new List<string>();
        var term = new List<string>();
        foreach (var t in tokens)
        {
            if (t is "+" or "-" or "*" or "/")
            {
                if (term.Count == 0) throw new FormatException($"'{expression}': the operator '{t}' has no term before it");
                items.Add(string.Join(' ', term));
                items.Add(t);
                term.Clear();
            }
            else term.Add(t);
        }
        if (term.Count == 0) throw new FormatException($"'{expression}' ends with an operator");
        items.Add(string.Join(' ', term));

        double? total = 0, product = Term(items[0], cell);
        for (int i = 1; i < items.Count; i += 2)
        {
            var next = Term(items[i + 1], cell);
            switch (items[i])
            {
                case "*": product = product * next; break;
                case "/": product = product / next; break;
                default:
                    total += product;
                    product = items[i] == "-" ? -next : next;
                    break;
            }
        }
        return total + product;
    }

    static double? Term(string term, CellLookup cell)
    {
        if (double.TryParse(term, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
        int at = term.LastIndexOf('@');
        string column = at < 0 ? term : term[..at];
        if (column.Length == 0) throw new FormatException($"'{term}' names no value column before '@'");
        string[] keys = at < 0 ? [] : term[(at + 1)..].Split('|');
        return cell(column, keys);
    }
}
