using System.Globalization;

namespace Backprop.Preprocessing;

/// <summary>
/// Dates and date-times written as ISO 8601 (<c>2024-03-01</c>, <c>2024-03-01T12:30</c>, <c>2024-03-01 12:30:15.5</c>, with
/// <c>Z</c> or an offset such as <c>+02:00</c>), as the number of days since 1970-01-01 UTC, the time of day its fraction: what
/// a date column becomes (<see cref="FeatureKind.Date"/>).
/// </summary>
/// <remarks>
/// Only the ISO order, year first with four digits: <c>01/02/2024</c> is the 1st of February in one country and the 2nd of
/// January in another, and such a column stays categorical (to be converted by the user). A time without a zone is taken as
/// UTC, so that a value means the same number on every machine. Parquet's date and timestamp columns are read as this text
/// (<see cref="Data.ParquetFile"/>).
/// </remarks>
public static class IsoDates
{
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // The date, or the date and a time (to the minute, the second or a fraction of it) after 'T' or a space, with no zone, Z, or
    // an offset.
    private static readonly string[] Formats = BuildFormats();

    private static string[] BuildFormats()
    {
        var formats = new List<string> { "yyyy'-'MM'-'dd" };
        foreach (string separator in (string[])["'T'", "' '"])
        {
            foreach (string time in (string[])["HH':'mm", "HH':'mm':'ss", "HH':'mm':'ss'.'FFFFFFF"])
            {
                foreach (string zone in (string[])["", "'Z'", "zzz"])
                {
                    formats.Add($"yyyy'-'MM'-'dd{separator}{time}{zone}");
                }
            }
        }
        return [.. formats];
    }

    /// <summary>Whether <paramref name="text"/> is an ISO 8601 date or date-time; if so, its days since 1970-01-01 UTC.</summary>
    public static bool TryParseDays(string text, out double days)
    {
        ArgumentNullException.ThrowIfNull(text);
        days = double.NaN;
        // Cheap rejections first: a column of words or numbers is tried value by value.
        if (text.Length < 10 || text.Length > 40 || !char.IsAsciiDigit(text[0]) || text[4] != '-' || text[7] != '-')
        {
            return false;
        }
        if (!DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value))
        {
            return false;
        }
        days = (double)(value.UtcDateTime - Epoch).Ticks / TimeSpan.TicksPerDay;
        return true;
    }

    /// <summary>Days since 1970-01-01 UTC as ISO 8601: the date alone on a whole day, else to the second, with Z.</summary>
    public static string Format(double days)
    {
        // Outside the years 1 to 9999 that DateTime holds (a scaled value far out of range, in a dependence grid): the number.
        if (!(days >= -719162 && days < 2932896))
        {
            return days.ToString("G6", CultureInfo.InvariantCulture);
        }
        DateTime value = Epoch.AddTicks((long)Math.Round(days * TimeSpan.TicksPerDay / TimeSpan.TicksPerSecond) * TimeSpan.TicksPerSecond);
        return value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
    }
}
