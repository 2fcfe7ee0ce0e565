using System.Globalization;

namespace Backprop.Data;

/// <summary>
/// Numbers written with a unit, as spreadsheets format them: a percentage (<c>33.9%</c>, <c>-2 %</c>) or an amount with a
/// currency symbol before or after it (<c>$407.42</c>, <c>-$5</c>, <c>$-5</c>, <c>12,50 €</c>, <c>£1,234</c>), and the
/// accounting form of a negative amount (<c>($1,234.00)</c>). The value is the number as written: <c>33.9%</c> is 33.9, not
/// 0.339, so that a value typed at prediction time is the one the file shows.
/// </summary>
/// <remarks>
/// The unit is one character: <c>%</c>, or any currency symbol of Unicode's category Sc (<c>$ € £ ¥ ₹ ₩ ₽ …</c>). A column of
/// such numbers is a column of numbers when its cells share one unit (a cell without one is the same quantity): <c>$5</c>
/// beside <c>€5</c> would add dollars to euros, so such a column stays text (<see cref="TableColumn"/>).
/// </remarks>
internal static class NumberUnits
{
    /// <summary>
    /// <paramref name="text"/> as a number with a unit (<paramref name="unit"/>), the number itself read with one of
    /// <paramref name="decimals"/>, with or without thousands separators (<paramref name="group"/>, or <c>'\0'</c>).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, DecimalSeparators decimals, out double value, out char group, out char unit)
    {
        value = 0;
        group = unit = '\0';
        ReadOnlySpan<char> rest = TrimSpaces(text);
        // A cell without a unit character at either end is not one: most cells are decided here.
        if (rest.Length < 2 || !(IsUnit(rest[0]) || IsUnit(rest[^1]) || rest[0] == '(' || rest[0] is '-' or '+' or Minus)) return false;
        bool parenthesized = rest[0] == '(' && rest[^1] == ')';
        if (parenthesized) rest = TrimSpaces(rest[1..^1]);
        bool negative = false, signed = TakeSign(ref rest, ref negative);
        if (rest.Length > 0 && IsUnit(rest[0]) && rest[0] != '%')
        {
            unit = rest[0];
            rest = TrimSpaces(rest[1..]);
            // "$-5" as well as "-$5".
            if (!signed) signed = TakeSign(ref rest, ref negative);
        }
        else if (rest.Length > 0 && IsUnit(rest[^1]))
        {
            unit = rest[^1];
            rest = TrimSpaces(rest[..^1]);
        }
        else
        {
            return false;
        }
        // Parentheses make an amount negative; a sign inside them, or a percentage in them, is something else.
        if (parenthesized && (signed || unit == '%')) return false;
        // The number itself is unsigned and starts with a digit (or a separator and a digit): no "$Infinity", "$-", "$e5".
        if (rest.Length == 0 || !(char.IsAsciiDigit(rest[0]) || (rest.Length > 1 && rest[0] is '.' or ',' && char.IsAsciiDigit(rest[1]))))
        {
            return false;
        }
        if (!TableColumn.TryParsePlain(rest, decimals, out double number, out group)) return false;
        value = negative != parenthesized ? -number : number;
        return true;
    }

    /// <summary>Whether <paramref name="c"/> is a unit a number may carry: <c>%</c> or a currency symbol.</summary>
    public static bool IsUnit(char c) => c == '%' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol;

    /// <summary>What the unit is, for a note: "percentages" or "amounts in '$'".</summary>
    public static string Describe(char unit) => unit == '%' ? "percentages" : $"amounts in '{unit}'";

    // U+2212, the minus sign typeset text uses.
    private const char Minus = '\u2212';

    private static bool TakeSign(ref ReadOnlySpan<char> rest, ref bool negative)
    {
        if (rest.Length == 0 || rest[0] is not ('-' or '+' or Minus)) return false;
        negative = rest[0] != '+';
        rest = TrimSpaces(rest[1..]);
        return true;
    }

    // Spaces between a number and its unit: the ASCII space, and the no-break spaces locales put there ("12,50 €", "5 %").
    private static ReadOnlySpan<char> TrimSpaces(ReadOnlySpan<char> text) => text.Trim(" \u00A0\u202F");
}
