using System.Globalization;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Preprocessing;

public sealed class IsoDatesTests
{
    [Theory]
    [InlineData("1970-01-01", 0)]
    [InlineData("1969-12-31", -1)]
    [InlineData("2024-03-01", 19783)]
    [InlineData("2024-02-29", 19782)] // a leap day
    [InlineData("2024-03-01T12:00", 19783.5)]
    [InlineData("2024-03-01 06:00:00", 19783.25)]
    [InlineData("2024-03-01T18:00:00Z", 19783.75)]
    [InlineData("2024-03-01T12:00:00+02:00", 19783 + 10.0 / 24)] // 10:00 UTC
    [InlineData("2024-03-01T00:00:00.5", 19783 + 0.5 / 86400)]
    [InlineData("2024-03-01T00:00:00.0000000+00:00", 19783)] // Parquet's timestamps with an offset ("O")
    [InlineData("2024-03", 19783)] // a month: its first day
    public void An_iso_date_is_its_days_since_1970_in_utc(string text, double days)
    {
        Assert.True(IsoDates.TryParseDays(text, out double parsed));
        Assert.Equal(days, parsed, 9);
    }

    [Theory]
    [InlineData("01/03/2024")] // day and month in an order that depends on the country
    [InlineData("2024/03/01")]
    [InlineData("2024-3-1")]
    [InlineData("2024-13")]
    [InlineData("2024-3")]
    [InlineData("2024-02-30")]
    [InlineData("20240301")]
    [InlineData("2024-03-01x")]
    [InlineData("2024-03-01T25:00")]
    [InlineData("March 1, 2024")]
    [InlineData("")]
    [InlineData("12345678901")]
    public void Anything_else_is_not_a_date(string text)
    {
        Assert.False(IsoDates.TryParseDays(text, out double days));
        Assert.True(double.IsNaN(days));
    }

    [Theory]
    [InlineData(19783, "2024-03-01")]
    [InlineData(19783.5, "2024-03-01T12:00:00Z")]
    [InlineData(-1, "1969-12-31")]
    [InlineData(1e9, "1E+09")] // past the year 9999: the number
    [InlineData(double.NaN, "NaN")]
    public void Days_are_written_as_an_iso_date(double days, string text) => Assert.Equal(text, IsoDates.Format(days));

    [Fact]
    public void It_reads_what_dotnets_parser_reads_in_these_layouts_and_nothing_else()
    {
        // .NET's exact parse of the layouts, the reference: valid dates and times, and every kind of near miss.
        string[] formats = [.. Layouts()];
        var rng = new Rng(11);
        int agreed = 0, dates = 0;
        foreach (string text in Candidates(rng))
        {
            bool expected = DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value);
            bool parsed = IsoDates.TryParseDays(text, out double days);
            Assert.True(expected == parsed, $"'{text}': .NET {expected}, IsoDates {parsed}");
            if (expected)
            {
                Assert.Equal((double)(value.UtcDateTime - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerDay, days);
                dates++;
            }
            agreed++;
        }
        Assert.True(dates > 2000 && agreed - dates > 2000, $"{dates} dates, {agreed - dates} others");
    }

    private static IEnumerable<string> Layouts()
    {
        yield return "yyyy'-'MM";
        yield return "yyyy'-'MM'-'dd";
        foreach (string separator in (string[])["'T'", "' '"])
        {
            foreach (string time in (string[])["HH':'mm", "HH':'mm':'ss", "HH':'mm':'ss'.'FFFFFFF"])
            {
                foreach (string zone in (string[])["", "'Z'", "zzz"]) yield return $"yyyy'-'MM'-'dd{separator}{time}{zone}";
            }
        }
    }

    // Random instants in every layout, and the same with one character changed, dropped or added.
    private static IEnumerable<string> Candidates(Rng rng)
    {
        string[] times = ["", "T12:30", " 23:59", "T00:00:00", "T08:15:30.5", " 17:45:59.1234567", "T12:00:00.12"];
        string[] zones = ["", "Z", "+02:00", "-05:30", "+14:00", "-14:00", "+14:01", "+2:00", "-0130", "+1400", "+02", "+200", "+2:0", "z"];
        const string noise = "0123456789-:T .Z+x";
        for (int i = 0; i < 6000; i++)
        {
            int year = rng.NextInt(3) == 0 ? 1 + rng.NextInt(9999) : 1900 + rng.NextInt(200);
            string text = string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{1 + rng.NextInt(13):00}-{1 + rng.NextInt(31):00}");
            string time = times[rng.NextInt(times.Length)];
            text += time.Length == 0 ? "" : time + zones[rng.NextInt(zones.Length)];
            yield return text;
            if (i % 10 == 0) yield return text[..7]; // the month alone
            int at = rng.NextInt(text.Length);
            char c = noise[rng.NextInt(noise.Length)];
            yield return (rng.NextInt(3)) switch
            {
                0 => text[..at] + c + text[(at + 1)..],
                1 => text.Remove(at, 1),
                _ => text.Insert(at, c.ToString()),
            };
        }
        yield return "0001-01-01T00:00+01:00"; // before the year 1 in UTC
        yield return "9999-12-31T23:59:59.9999999-01:00"; // after the year 9999 in UTC
        yield return "2024-02-29";
        yield return "2023-02-29";
        yield return "٢٠٢٤-03-01"; // digits of another script
    }
}
