using System.Globalization;

namespace Backprop.Data;

/// <summary>
/// Numbers written with a unit, as spreadsheets format them and as people type them: a percentage (<c>33.9%</c>, <c>-2 %</c>),
/// an amount with a currency symbol before or after it (<c>$407.42</c>, <c>-$5</c>, <c>$-5</c>, <c>12,50 €</c>, <c>£1,234</c>),
/// the accounting form of a negative amount (<c>($1,234.00)</c>), or a number followed by a unit word (<c>1248 CC</c>,
/// <c>23.4 kmpl</c>, <c>5kg</c>, <c>36 months</c>, <c>21 °C</c>, <c>90 km/h</c>). The value is the number as written:
/// <c>33.9%</c> is 33.9, not 0.339, and <c>1.5 kg</c> is 1.5, so that a value typed at prediction time is the one the file shows.
/// </summary>
/// <remarks>
/// A symbol unit is one character: <c>%</c>, or any currency symbol of Unicode's category Sc (<c>$ € £ ¥ ₹ ₩ ₽ …</c>). A word
/// unit follows the number, after at most one space: a letter or <c>°</c>, then up to 15 letters, digits and <c>/ . ² ³</c>
/// (one word: <c>12 Main St</c> is not a number). Two spellings are one unit when they differ only in case or by a plural
/// <c>s</c> (<c>1 year</c>, <c>5 years</c>; <c>KG</c>, <c>kg</c>: <see cref="Same"/>). A column of such numbers is a column of
/// numbers when its cells share one unit (a cell without one is the same quantity): <c>$5</c> beside <c>€5</c> would add
/// dollars to euros, so such a column stays text (<see cref="TableColumn"/>).
/// </remarks>
internal static class NumberUnits
{
    /// <summary>
    /// <paramref name="text"/> as a number with a unit (<paramref name="unit"/>, a slice of <paramref name="text"/>), the number
    /// itself read with one of <paramref name="decimals"/>, with or without thousands separators (<paramref name="group"/>, or <c>'\0'</c>).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, DecimalSeparators decimals, out double value, out char group, out ReadOnlySpan<char> unit)
    {
        value = 0;
        group = '\0';
        unit = default;
        ReadOnlySpan<char> whole = TrimSpaces(text), rest = whole;
        // A cell without a unit character at either end, nor a letter at its end, is not one: most cells are decided here.
        if (rest.Length < 2) return false;
        if (!(IsUnit(rest[0]) || IsUnit(rest[^1]) || rest[0] == '(' || rest[0] is '-' or '+' or Minus))
        {
            return IsWordEnd(rest[^1]) && TryParseWithWord(rest, decimals, out value, out group, out unit);
        }
        bool parenthesized = rest[0] == '(' && rest[^1] == ')';
        if (parenthesized) rest = TrimSpaces(rest[1..^1]);
        bool negative = false, signed = TakeSign(ref rest, ref negative);
        if (rest.Length > 0 && IsUnit(rest[0]) && rest[0] != '%')
        {
            unit = rest[..1];
            rest = TrimSpaces(rest[1..]);
            // "$-5" as well as "-$5".
            if (!signed) signed = TakeSign(ref rest, ref negative);
        }
        else if (rest.Length > 0 && IsUnit(rest[^1]))
        {
            unit = rest[^1..];
            rest = TrimSpaces(rest[..^1]);
        }
        else
        {
            // "-5 kg": the sign is the number's own.
            return !parenthesized && IsWordEnd(whole[^1]) && TryParseWithWord(whole, decimals, out value, out group, out unit);
        }
        // Parentheses make an amount negative; a sign inside them, or a percentage in them, is something else.
        if (parenthesized && (signed || unit[0] == '%')) return false;
        // The number itself is unsigned and starts with a digit (or a separator and a digit): no "$Infinity", "$-", "$e5".
        if (!StartsWithDigit(rest)) return false;
        if (!TableColumn.TryParsePlain(rest, decimals, out double number, out group)
            && (unit[0] == '%' || !TryParseScaled(rest, decimals, out number, out group)))
        {
            return false;
        }
        value = negative != parenthesized ? -number : number;
        return true;
    }

    // An amount's number with a magnitude after it, as web tables and reports write large amounts: "1.2M", "500K", "177 B",
    // "3.5bn" (K, M, B and T for thousands to trillions; "bn" and "mn"). Scaled in decimal, so that "1.2M" is 1200000 exactly.
    private static bool TryParseScaled(ReadOnlySpan<char> text, DecimalSeparators decimals, out double value, out char group)
    {
        value = 0;
        group = '\0';
        int magnitude = Magnitude(text, out int length);
        if (magnitude == 0) return false;
        ReadOnlySpan<char> number = text[..^length];
        if (number.Length > 0 && number[^1] is ' ' or '\u00A0' or '\u202F') number = number[..^1];
        if (number.IsEmpty || !char.IsAsciiDigit(number[^1]) || !TableColumn.TryParsePlain(number, decimals, out double plain, out group)) return false;
        decimal scaled;
        try
        {
            scaled = (decimal)plain * Powers[magnitude];
        }
        catch (OverflowException)
        {
            return false;
        }
        value = (double)scaled;
        return true;
    }

    private static readonly decimal[] Powers = [1m, 1_000m, 1_000_000m, 1_000_000_000m, 1_000_000_000_000m];

    /// <summary>Whether <paramref name="text"/>, an amount <see cref="TryParse"/> read, is written with a magnitude (<c>$1.2M</c>).</summary>
    public static bool IsScaled(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> rest = TrimSpaces(text).TrimEnd(')');
        if (rest.Length > 0 && IsUnit(rest[^1])) rest = TrimSpaces(rest[..^1]);
        return Magnitude(rest, out _) > 0;
    }

    // The power of a thousand a suffix stands for (K 1, M and mn 2, B and bn 3, T 4), 0 for none; `length`: the suffix's.
    private static int Magnitude(ReadOnlySpan<char> text, out int length)
    {
        length = 0;
        if (text.Length >= 3 && (text.EndsWith("bn", StringComparison.OrdinalIgnoreCase) || text.EndsWith("mn", StringComparison.OrdinalIgnoreCase))
            && !char.IsLetter(text[^3]))
        {
            length = 2;
            return char.ToLowerInvariant(text[^2]) == 'b' ? 3 : 2;
        }
        if (text.Length < 2 || char.IsLetter(text[^2])) return 0;
        length = 1;
        return text[^1] switch
        {
            'K' or 'k' => 1,
            'M' or 'm' => 2,
            'B' or 'b' => 3,
            'T' or 't' => 4,
            _ => 0,
        };
    }

    // "1248 CC", "23.4 kmpl", "5kg", "-3.5 °C", "1,200 sq.ft": a plain number (a sign allowed), at most one space, one unit word.
    private static bool TryParseWithWord(ReadOnlySpan<char> text, DecimalSeparators decimals, out double value, out char group, out ReadOnlySpan<char> unit)
    {
        value = 0;
        group = '\0';
        unit = default;
        // The word starts at the first letter (or °) that is not a number's exponent ("1.5e3 kg").
        int start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!(char.IsLetter(c) || c == '°')) continue;
            bool exponent = c is 'e' or 'E' && i > 0 && char.IsAsciiDigit(text[i - 1]) && i + 1 < text.Length
                && (char.IsAsciiDigit(text[i + 1]) || (text[i + 1] is '-' or '+' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2])));
            if (!exponent)
            {
                start = i;
                break;
            }
        }
        if (start <= 0 || text.Length - start > MaxWordLength) return false;
        ReadOnlySpan<char> word = text[start..];
        foreach (char c in word[1..])
        {
            if (!IsWordCharacter(c)) return false;
        }
        ReadOnlySpan<char> number = text[..start];
        // 0x1A, 0b101, 0o17: a programmer's literal in another base, not 0 in a unit.
        if (number is "0" && word[0] is 'x' or 'X' or 'b' or 'B' or 'o' or 'O' && word.Length > 1) return false;
        // At most one space between them, of the kinds locales put there.
        if (number[^1] is ' ' or '\u00A0' or '\u202F') number = number[..^1];
        ReadOnlySpan<char> digits = number.Length > 0 && number[0] is '-' or '+' ? number[1..] : number;
        if (!StartsWithDigit(digits) || !char.IsAsciiDigit(number[^1])) return false;
        if (!TableColumn.TryParsePlain(number, decimals, out value, out group)) return false;
        unit = word;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is a missing value with a unit word after it (<c>null bhp</c>, <c>NA kg</c>): what a site
    /// that appends the unit to every cell exports for a missing number. Only a column of numbers reads it so; in text it is text.
    /// </summary>
    public static bool IsMissingWithUnit(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> cell = TrimSpaces(text);
        int space = cell.LastIndexOfAny(' ', '\u00A0', '\u202F');
        if (space <= 0) return false;
        ReadOnlySpan<char> value = cell[..space], unit = cell[(space + 1)..];
        return !value.IsEmpty && MissingValues.IsMissing(value) && IsWord(unit) && IsValid(unit);
    }

    /// <summary>The longest unit word read: longer text after a number is a phrase, not a unit.</summary>
    public const int MaxWordLength = 16;

    /// <summary>
    /// Whether <paramref name="a"/> and <paramref name="b"/> are one unit: equal but for case, or but for a plural <c>s</c> on a
    /// word of three letters or more (<c>years</c>, <c>year</c>; <c>lbs</c>, <c>lb</c>; not <c>ms</c>, <c>m</c>).
    /// </summary>
    public static bool Same(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        ReadOnlySpan<char> x = Singular(a), y = Singular(b);
        return x.Equals(y, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="unit"/> is one a number may carry: a symbol (<see cref="IsUnit"/>) or a unit word as <see cref="TryParse"/> reads it.</summary>
    public static bool IsValid(ReadOnlySpan<char> unit)
    {
        if (unit.Length == 1 && IsUnit(unit[0])) return true;
        if (unit.Length is 0 or > MaxWordLength || !(char.IsLetter(unit[0]) || unit[0] == '°')) return false;
        foreach (char c in unit[1..])
        {
            if (!IsWordCharacter(c)) return false;
        }
        return true;
    }

    /// <summary>Whether <paramref name="unit"/> is a word (<c>kg</c>), not a symbol (<c>%</c>, <c>$</c>).</summary>
    public static bool IsWord(ReadOnlySpan<char> unit) => unit.Length > 0 && !IsUnit(unit[0]);

    private static ReadOnlySpan<char> Singular(ReadOnlySpan<char> unit) =>
        unit.Length >= 3 && unit[^1] is 's' or 'S' && char.IsLetter(unit[^2]) ? unit[..^1] : unit;

    // A character of a unit word after its first: km/h, sq.ft, m2, m³.
    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c is '/' or '.' or '²' or '³';

    // The last character of a unit word: a letter, a digit (m2), a point (lbs.), ² or ³; a word of one character is a letter or °.
    private static bool IsWordEnd(char c) => char.IsLetterOrDigit(c) || c is '.' or '²' or '³' or '°';

    private static bool StartsWithDigit(ReadOnlySpan<char> rest) =>
        rest.Length > 0 && (char.IsAsciiDigit(rest[0]) || (rest.Length > 1 && rest[0] is '.' or ',' && char.IsAsciiDigit(rest[1])));

    /// <summary>Whether <paramref name="c"/> is a unit a number may carry: <c>%</c> or a currency symbol.</summary>
    public static bool IsUnit(char c) => c == '%' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol;

    /// <summary>What the unit is, for a note: "percentages", "amounts in '$'" or "numbers in 'kg'".</summary>
    public static string Describe(string unit) => unit == "%" ? "percentages" : IsWord(unit) ? $"numbers in '{unit}'" : $"amounts in '{unit}'";

    /// <summary>How a note says what a magnitude after an amount is read as.</summary>
    public const string Magnitudes = "K, M, B and T read as thousands, millions, billions and trillions";

    /// <summary>How a note says what is read of such a cell: "the numbers before the '%'", "… without the symbol", "… without the unit".</summary>
    public static string WhatIsRead(string unit) => unit == "%" ? "the numbers before the '%'" : IsWord(unit) ? "the numbers without the unit" : "the numbers without the symbol";

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
