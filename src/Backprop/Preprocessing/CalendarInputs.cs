namespace Backprop.Preprocessing;

/// <summary>
/// The calendar inputs of a date column (<see cref="CalendarPart"/>): which a column gets, how many inputs each is, their names
/// and values. The ONNX export computes the same from the days.
/// </summary>
public static class CalendarInputs
{
    /// <summary>The days of a year on average (the Gregorian calendar's 400-year cycle), the period of <see cref="CalendarPart.Year"/>.</summary>
    public const double DaysPerYear = 365.2425;

    /// <summary>1970-01-01, day 0, was a Thursday: the weekday index (Monday 0) of day 0.</summary>
    public const int WeekdayOfDayZero = 3;

    // 0001-01-01 and 10000-01-01 in days since 1970-01-01.
    private const double MinDays = -719162, MaxDays = 2932897;

    private static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    /// <summary>Inputs a part takes.</summary>
    public static int Width(CalendarPart part) => part == CalendarPart.Weekday ? 7 : 2;

    /// <summary>Inputs the parts take together.</summary>
    public static int Width(IReadOnlyList<CalendarPart>? parts)
    {
        int width = 0;
        if (parts is null) return 0;
        foreach (CalendarPart part in parts) width += Width(part);
        return width;
    }

    /// <summary>The weekday of <paramref name="days"/> since 1970-01-01 UTC: 0 for Monday to 6 for Sunday.</summary>
    public static int Weekday(double days) => (int)(((Math.Floor(days) + WeekdayOfDayZero) % 7 + 7) % 7);

    /// <summary>
    /// The parts training dates call for: the weekday when they fall on two weekdays or more and on more than four days of the
    /// month, the time of year when they span a year or more, the time of day when they hold two times of day or more;
    /// <see langword="null"/> for none.
    /// </summary>
    /// <remarks>
    /// A monthly series (the 1st of each month, or its last day: at most 4 days of the month) falls on every weekday, but its
    /// weekday is the calendar's accident, not the data's: given as 7 inputs it cost monthly series (ggplot2's economics,
    /// modeldata's drinks) 0.4 to 0.8 points of R², while on daily data (modeldata's Chicago ridership) it is 7 points.
    /// </remarks>
    /// <param name="days">The training rows' days, NaN where missing.</param>
    public static CalendarPart[]? Choose(ReadOnlySpan<double> days)
    {
        int weekdays = 0, monthDays = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, firstTime = double.NaN;
        bool times = false;
        foreach (double value in days)
        {
            if (double.IsNaN(value)) continue;
            double time = value - Math.Floor(value);
            if (double.IsNaN(firstTime)) firstTime = time;
            weekdays |= 1 << Weekday(value);
            // Days the calendar holds (years 1 to 9999), as every parsed date does.
            if (value is >= MinDays and < MaxDays) monthDays |= 1 << DateTime.UnixEpoch.AddDays(Math.Floor(value)).Day;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            times |= time != firstTime;
        }
        if (weekdays == 0) return null;
        var parts = new List<CalendarPart>(3);
        if (int.PopCount(weekdays) >= 2 && int.PopCount(monthDays) > 4) parts.Add(CalendarPart.Weekday);
        if (max - min >= DaysPerYear) parts.Add(CalendarPart.Year);
        if (times) parts.Add(CalendarPart.Day);
        return parts.Count == 0 ? null : [.. parts];
    }

    /// <summary>The names of the parts' inputs, as <c>day (Monday)</c>, <c>day (time of year, sine)</c>.</summary>
    public static IEnumerable<string> Names(string column, IReadOnlyList<CalendarPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        foreach (CalendarPart part in parts)
        {
            switch (part)
            {
                case CalendarPart.Weekday:
                    foreach (string weekday in Weekdays) yield return $"{column} ({weekday})";
                    break;
                default:
                    string what = part == CalendarPart.Year ? "time of year" : "time of day";
                    yield return $"{column} ({what}, sine)";
                    yield return $"{column} ({what}, cosine)";
                    break;
            }
        }
    }

    /// <summary>Writes the parts' inputs for <paramref name="days"/> since 1970-01-01 UTC into <paramref name="inputs"/>, in order.</summary>
    public static void Encode<T>(double days, IReadOnlyList<CalendarPart> parts, Span<T> inputs) where T : System.Numerics.INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(parts);
        int at = 0;
        foreach (CalendarPart part in parts)
        {
            switch (part)
            {
                case CalendarPart.Weekday:
                    int weekday = Weekday(days);
                    for (int d = 0; d < 7; d++) inputs[at + d] = d == weekday ? T.One : T.Zero;
                    at += 7;
                    break;
                default:
                    // The angle of the time of year, or of the time of day (the fraction of the day: the whole days are whole turns).
                    double turns = part == CalendarPart.Year ? days / DaysPerYear : days - Math.Floor(days);
                    double angle = 2 * Math.PI * (turns - Math.Floor(turns));
                    inputs[at] = T.CreateChecked(Math.Sin(angle));
                    inputs[at + 1] = T.CreateChecked(Math.Cos(angle));
                    at += 2;
                    break;
            }
        }
    }
}
