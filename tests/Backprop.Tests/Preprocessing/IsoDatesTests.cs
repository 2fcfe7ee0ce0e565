using Backprop.Preprocessing;

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
    public void An_iso_date_is_its_days_since_1970_in_utc(string text, double days)
    {
        Assert.True(IsoDates.TryParseDays(text, out double parsed));
        Assert.Equal(days, parsed, 9);
    }

    [Theory]
    [InlineData("01/03/2024")] // day and month in an order that depends on the country
    [InlineData("2024/03/01")]
    [InlineData("2024-3-1")]
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
}
