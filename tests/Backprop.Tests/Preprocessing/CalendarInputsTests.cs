using Backprop.Preprocessing;

namespace Backprop.Tests.Preprocessing;

public sealed class CalendarInputsTests
{
    [Theory]
    [InlineData("1970-01-01", 3)] // a Thursday
    [InlineData("2024-03-04", 0)] // a Monday
    [InlineData("2024-03-10T23:59:59", 6)] // a Sunday, to its last second
    [InlineData("1969-12-28", 6)] // a Sunday before day 0
    [InlineData("1900-01-01", 0)] // a Monday, long before
    public void The_weekday_counts_from_Monday(string date, int weekday)
    {
        Assert.True(IsoDates.TryParseDays(date, out double days));
        Assert.Equal(weekday, CalendarInputs.Weekday(days));
        Assert.Equal((int)DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture).DayOfWeek, (weekday + 1) % 7);
    }

    [Fact]
    public void The_parts_are_what_the_training_dates_vary_in()
    {
        // Weekly data within a year, every date at midnight: nothing a line through the days would miss.
        Assert.Null(CalendarInputs.Choose([19783, 19790, 19797, double.NaN]));
        // Daily for a week: the weekday; over a year: the time of year; at two times of day: the time of day.
        double[] week = [.. Enumerable.Range(19783, 7).Select(d => (double)d)];
        Assert.Equal([CalendarPart.Weekday], CalendarInputs.Choose(week));
        Assert.Equal([CalendarPart.Year], CalendarInputs.Choose([19783, 19783 + 371]));
        Assert.Equal([CalendarPart.Weekday, CalendarPart.Year, CalendarPart.Day], CalendarInputs.Choose([.. week, 19783.25, 19783 + 400.5]));
        Assert.Null(CalendarInputs.Choose([double.NaN]));
        // Monthly, on the 1st or on the last day (at most four days of the month): every weekday, but by the calendar's accident.
        double[] firsts = [.. Enumerable.Range(0, 30).Select(m => (new DateTime(2020, 1, 1).AddMonths(m) - DateTime.UnixEpoch).TotalDays)];
        double[] lasts = [.. Enumerable.Range(1, 30).Select(m => (new DateTime(2020, 1, 1).AddMonths(m).AddDays(-1) - DateTime.UnixEpoch).TotalDays)];
        Assert.Equal(7, firsts.Select(CalendarInputs.Weekday).Distinct().Count());
        Assert.Equal([CalendarPart.Year], CalendarInputs.Choose(firsts));
        Assert.Equal([CalendarPart.Year], CalendarInputs.Choose(lasts));
    }

    [Fact]
    public void The_inputs_are_the_weekday_one_hot_and_the_angles_of_the_year_and_the_day()
    {
        CalendarPart[] parts = [CalendarPart.Weekday, CalendarPart.Year, CalendarPart.Day];
        Assert.Equal(11, CalendarInputs.Width(parts));
        var inputs = new double[11];
        // 2024-03-05T18:00:00Z, a Tuesday, three quarters of the day gone.
        double days = 19787.75;
        CalendarInputs.Encode(days, parts, inputs);
        Assert.Equal([0.0, 1, 0, 0, 0, 0, 0], inputs[..7]);
        double year = 2 * Math.PI * (days / 365.2425 - Math.Floor(days / 365.2425));
        Assert.Equal(Math.Sin(year), inputs[7], 12);
        Assert.Equal(Math.Cos(year), inputs[8], 12);
        Assert.Equal(-1, inputs[9], 12); // sin(3π/2)
        Assert.Equal(0, inputs[10], 12);
        Assert.Equal(
            ["d (Monday)", "d (Tuesday)", "d (Wednesday)", "d (Thursday)", "d (Friday)", "d (Saturday)", "d (Sunday)",
             "d (time of year, sine)", "d (time of year, cosine)", "d (time of day, sine)", "d (time of day, cosine)"],
            CalendarInputs.Names("d", parts));
    }
}
