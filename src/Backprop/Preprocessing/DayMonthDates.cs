namespace Backprop.Preprocessing;

/// <summary>
/// Dates written with the year last, as spreadsheets export them where ISO 8601 is not the habit: <c>15/03/2024</c>,
/// <c>3/15/2024 2:30 PM</c>, <c>15.03.2024 14:30</c>, <c>15-03-2024</c>, read as days since 1970-01-01 UTC (as
/// <see cref="IsoDates"/>) in the <see cref="DateOrder"/> the column's own values tell.
/// </summary>
/// <remarks>
/// <c>01/02/2024</c> is the 1st of February in one country and the 2nd of January in another. A column's order is read from
/// its values: a first number above 12 says the day comes first (<c>15/03/2024</c>), a second one above 12 that the month does
/// (<c>3/15/2024</c>). A column with both is no column of dates; one with neither is read with its 1 as the day when every
/// date is on the 1st of a month (a monthly series: <c>2/1/2024</c>), and otherwise stays text, whose note asks for ISO
/// dates. Two-digit years (<c>3/15/24</c>) stay text too: the century would
/// be a guess.
/// </remarks>
public static class DayMonthDates
{
    private static readonly long EpochTicks = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>
    /// Whether <paramref name="text"/> is a date (or date-time) with the year last in <paramref name="order"/>; if so, its days
    /// since 1970-01-01 UTC.
    /// </summary>
    /// <remarks>
    /// The layout: 1 or 2 digits, a separator (<c>/</c>, <c>.</c> or <c>-</c>), 1 or 2 digits, the same separator, 4 digits;
    /// then optionally a space or <c>T</c>, the hour in 1 or 2 digits, <c>:mm</c>, <c>:ss</c> and up to 7 digits of a second after
    /// a point, then optionally <c>AM</c> or <c>PM</c> (any case, after a space or none; the hour then at most 12).
    /// The date and time must exist. No zone is read: the time is UTC, as a zoneless ISO time is.
    /// </remarks>
    public static bool TryParseDays(ReadOnlySpan<char> text, DateOrder order, out double days)
    {
        days = double.NaN;
        if (!TryParseFields(text, out int first, out int second, out int year, out long timeTicks)) return false;
        (int month, int day) = order == DateOrder.MonthFirst ? (first, second) : (second, first);
        if (!Exists(year, month, day)) return false;
        days = (double)(new DateTime(year, month, day).Ticks + timeTicks - EpochTicks) / TimeSpan.TicksPerDay;
        return true;
    }

    private static bool Exists(int year, int month, int day) => month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>
    /// The order the dates among <paramref name="values"/> are written in, or <see langword="null"/> when they do not tell
    /// it: none is a date with the year last; some have a number above 12 before the month and some after it; or none has one,
    /// and they are not all on the 1st of a month.
    /// </summary>
    /// <remarks>
    /// Dates that are all on the 1st of a month (<c>1/1/2020</c>, <c>2/1/2020</c>, <c>3/1/2020</c>: a monthly or quarterly
    /// series, where no day is above 12) are read with the 1 as the day, once the other number takes at least three values:
    /// the other reading, days 1 to 12 of January in every year, is no series a table holds.
    /// </remarks>
    /// <param name="values">Distinct values of a column (those that are no such date do not count).</param>
    /// <param name="ambiguous">Whether some values are such dates in both orders and nothing tells the order.</param>
    public static DateOrder? Infer(IEnumerable<string> values, out bool ambiguous)
    {
        ArgumentNullException.ThrowIfNull(values);
        bool dayFirst = false, monthFirst = false, both = false, firstAlwaysOne = true, secondAlwaysOne = true;
        int firsts = 0, seconds = 0; // bit sets of the values 1 to 12 each number takes where both orders read
        foreach (string value in values)
        {
            // The layout read once; the two orders are then two readings of its numbers.
            if (!TryParseFields(value, out int first, out int second, out int year, out _)) continue;
            bool asDayFirst = Exists(year, second, first), asMonthFirst = Exists(year, first, second);
            if (asDayFirst && asMonthFirst)
            {
                both = true;
                firstAlwaysOne &= first == 1;
                secondAlwaysOne &= second == 1;
                firsts |= 1 << first;
                seconds |= 1 << second;
            }
            else if (asDayFirst) dayFirst = true;
            else if (asMonthFirst) monthFirst = true;
        }
        ambiguous = both && !dayFirst && !monthFirst;
        if (ambiguous && secondAlwaysOne && System.Numerics.BitOperations.PopCount((uint)firsts) >= 3)
        {
            ambiguous = false;
            return DateOrder.MonthFirst;
        }
        if (ambiguous && firstAlwaysOne && System.Numerics.BitOperations.PopCount((uint)seconds) >= 3)
        {
            ambiguous = false;
            return DateOrder.DayFirst;
        }
        return dayFirst == monthFirst ? null : dayFirst ? DateOrder.DayFirst : DateOrder.MonthFirst;
    }

    /// <summary>How a note or an error writes an example of <paramref name="order"/>: <c>15/03/2024</c> or <c>3/15/2024</c>.</summary>
    public static string Example(DateOrder order) => order == DateOrder.DayFirst ? "15/03/2024" : "3/15/2024";

    // d{1,2} S d{1,2} S dddd, then the time: its fields before day and month are known.
    private static bool TryParseFields(ReadOnlySpan<char> text, out int first, out int second, out int year, out long timeTicks)
    {
        second = year = 0;
        timeTicks = 0;
        int i = Number(text, 0, 2, out first);
        if (i is not (1 or 2) || i >= text.Length || text[i] is not ('/' or '.' or '-')) return false;
        char separator = text[i];
        int start = i + 1;
        i = Number(text, start, 2, out second);
        if (i - start is not (1 or 2) || i >= text.Length || text[i] != separator) return false;
        start = i + 1;
        i = Number(text, start, 4, out year);
        if (i - start != 4 || year < 1 || (i < text.Length && char.IsAsciiDigit(text[i]))) return false;
        return i == text.Length || TryParseTime(text[i..], out timeTicks);
    }

    // " H:mm", " HH:mm:ss", "T14:30:00.5", " 2:30 PM", " 2:30pm".
    private static bool TryParseTime(ReadOnlySpan<char> text, out long ticks)
    {
        ticks = 0;
        if (text.Length < 5 || text[0] is not (' ' or 'T')) return false;
        int i = Number(text, 1, 2, out int hour);
        if (i is not (2 or 3) || i + 2 >= text.Length || text[i] != ':') return false;
        int start = i + 1;
        i = Number(text, start, 2, out int minute);
        if (i - start != 2 || minute > 59) return false;
        long fraction = 0;
        int second = 0;
        if (i < text.Length && text[i] == ':')
        {
            start = i + 1;
            i = Number(text, start, 2, out second);
            if (i - start != 2 || second > 59) return false;
            if (i < text.Length && text[i] == '.')
            {
                start = i + 1;
                i = Number(text, start, 7, out int digits);
                if (i == start || (i < text.Length && char.IsAsciiDigit(text[i]))) return false;
                fraction = digits;
                for (int d = i - start; d < 7; d++) fraction *= 10;
            }
        }
        ReadOnlySpan<char> rest = i < text.Length && text[i] == ' ' ? text[(i + 1)..] : text[i..];
        if (rest.Length == 2 && (rest[1] is 'M' or 'm') && (rest[0] is 'A' or 'a' or 'P' or 'p'))
        {
            if (hour > 12) return false;
            hour = hour % 12 + (rest[0] is 'P' or 'p' ? 12 : 0);
        }
        else if (i < text.Length || hour > 23)
        {
            return false;
        }
        ticks = hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute + second * TimeSpan.TicksPerSecond + fraction;
        return true;
    }

    // The digits from `start`, at most `most` of them, as a number; returns the index after them.
    private static int Number(ReadOnlySpan<char> text, int start, int most, out int value)
    {
        value = 0;
        int i = start;
        while (i < text.Length && i - start < most && char.IsAsciiDigit(text[i])) value = value * 10 + (text[i++] - '0');
        return i;
    }
}
