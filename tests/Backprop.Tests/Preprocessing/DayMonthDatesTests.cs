using System.Globalization;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Preprocessing;

/// <summary>
/// Dates with the year last, as spreadsheets export them (<c>3/15/2024 2:30 PM</c>, <c>15.03.2024 14:30</c>), are dates in the
/// order of day and month their column's values tell: before, such a column was text, a value per day, dropped as an identifier.
/// </summary>
public sealed class DayMonthDatesTests : TempFileTest
{
    [Theory]
    [InlineData("3/15/2024", DateOrder.MonthFirst, 19797)]
    [InlineData("15/03/2024", DateOrder.DayFirst, 19797)]
    [InlineData("15.03.2024", DateOrder.DayFirst, 19797)]
    [InlineData("15-3-2024", DateOrder.DayFirst, 19797)]
    [InlineData("1/1/1970", DateOrder.MonthFirst, 0)]
    [InlineData("2/29/2024", DateOrder.MonthFirst, 19782)]
    [InlineData("3/15/2024 12:00", DateOrder.MonthFirst, 19797.5)]
    [InlineData("3/15/2024 6:00:00 PM", DateOrder.MonthFirst, 19797.75)]
    [InlineData("3/15/2024 12:00 AM", DateOrder.MonthFirst, 19797)]
    [InlineData("3/15/2024 12:00pm", DateOrder.MonthFirst, 19797.5)]
    [InlineData("15.03.2024T18:00:00.5", DateOrder.DayFirst, 19797.75 + 0.5 / 86400)]
    public void A_date_with_the_year_last_is_its_days_since_1970(string text, DateOrder order, double days)
    {
        Assert.True(DayMonthDates.TryParseDays(text, order, out double parsed));
        Assert.Equal(days, parsed, 9);
    }

    [Theory]
    [InlineData("3/15/24")]           // a two-digit year: the century would be a guess
    [InlineData("3/15-2024")]         // two separators
    [InlineData("123/1/2024")]
    [InlineData("3/15/20245")]
    [InlineData("2024-03-15")]        // ISO 8601 is IsoDates'
    [InlineData("3/15/2024 13:00 PM")]
    [InlineData("3/15/2024 24:00")]
    [InlineData("3/15/2024 2:30  PM")]
    [InlineData("3/15/2024 12:00:00.")]
    [InlineData("3/15/2024Z")]
    [InlineData("3/15/2024 12:00Z")]
    [InlineData("3/32/2024")]
    [InlineData("")]
    public void Anything_else_is_not_such_a_date(string text) =>
        Assert.False(DayMonthDates.TryParseDays(text, DateOrder.MonthFirst, out _) || DayMonthDates.TryParseDays(text, DateOrder.DayFirst, out _));

    [Fact]
    public void It_reads_what_dotnets_parser_reads_in_these_layouts_and_nothing_else()
    {
        var rng = new Rng(5);
        foreach (DateOrder order in (DateOrder[])[DateOrder.DayFirst, DateOrder.MonthFirst])
        {
            string[] formats = [.. Layouts(order)];
            int dates = 0, others = 0;
            foreach (string text in Candidates(rng))
            {
                bool expected = DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                    out DateTime value);
                bool parsed = DayMonthDates.TryParseDays(text, order, out double days);
                Assert.True(expected == parsed, $"'{text}' ({order}): .NET {expected}, DayMonthDates {parsed}");
                if (expected)
                {
                    Assert.Equal((double)(value - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerDay, days);
                    dates++;
                }
                else
                {
                    others++;
                }
            }
            Assert.True(dates > 2000 && others > 2000, $"{order}: {dates} dates, {others} others");
        }
    }

    private static IEnumerable<string> Layouts(DateOrder order)
    {
        foreach (string separator in (string[])["'/'", "'.'", "'-'"])
        {
            string date = order == DateOrder.DayFirst ? $"d{separator}M{separator}yyyy" : $"M{separator}d{separator}yyyy";
            yield return date;
            foreach (string before in (string[])["' '", "'T'"])
            {
                // A fraction of 1 to 7 digits (.NET's FFFFFFF would also take a point with none).
                foreach (string time in (string[])["H':'mm", "H':'mm':'ss", .. Enumerable.Range(1, 7).Select(n => "H':'mm':'ss'.'" + new string('f', n))])
                {
                    yield return date + before + time;
                    string twelve = "h" + time[1..];
                    yield return date + before + twelve + "tt";
                    yield return date + before + twelve + "' 'tt";
                }
            }
        }
    }

    // Random instants in these layouts, and the same with one character changed, dropped or added.
    private static IEnumerable<string> Candidates(Rng rng)
    {
        string[] times = ["", " 12:30", " 3:05", " 23:59", "T00:00:00", " 08:15:30.5", " 17:45:59.1234567", " 2:30 PM", " 12:00:01 AM", " 11:59pm", " 7:07:07.7 am"];
        const string noise = "0123456789/.-: TAPMx";
        for (int i = 0; i < 5000; i++)
        {
            char separator = "/.-"[rng.NextInt(3)];
            int year = rng.NextInt(4) == 0 ? 1 + rng.NextInt(9999) : 1900 + rng.NextInt(200);
            int a = 1 + rng.NextInt(31), b = 1 + rng.NextInt(31);
            string text = string.Create(CultureInfo.InvariantCulture, $"{(rng.NextInt(2) == 0 ? a.ToString("00", CultureInfo.InvariantCulture) : a)}{separator}{b}{separator}{year:0000}");
            text += times[rng.NextInt(times.Length)];
            yield return text;
            int at = rng.NextInt(text.Length);
            char c = noise[rng.NextInt(noise.Length)];
            yield return rng.NextInt(3) switch
            {
                0 => text[..at] + c + text[(at + 1)..],
                1 => text.Remove(at, 1),
                _ => text.Insert(at, c.ToString()),
            };
        }
    }

    [Fact]
    public void A_columns_order_is_what_its_values_tell()
    {
        Assert.Equal(DateOrder.MonthFirst, DayMonthDates.Infer(["1/2/2024", "3/15/2024", "unknown"], out bool ambiguous));
        Assert.False(ambiguous);
        Assert.Equal(DateOrder.DayFirst, DayMonthDates.Infer(["01.02.2024", "15.03.2024"], out _));
        // Both orders told: no column of dates. Neither: nothing to go by.
        Assert.Null(DayMonthDates.Infer(["13/1/2024", "1/13/2024"], out ambiguous));
        Assert.False(ambiguous);
        Assert.Null(DayMonthDates.Infer(["1/2/2024", "2/1/2024"], out ambiguous));
        Assert.True(ambiguous);
        // All on the 1st, the other number taking three values or more: the 1 is the day.
        Assert.Equal(DateOrder.MonthFirst, DayMonthDates.Infer(["1/1/2024", "4/1/2024", "7/1/2024"], out ambiguous));
        Assert.False(ambiguous);
        Assert.Equal(DateOrder.DayFirst, DayMonthDates.Infer(["01.01.2024", "01.04.2024", "01.07.2024"], out _));
        Assert.Null(DayMonthDates.Infer(["1/1/2024", "4/1/2024"], out ambiguous));
        Assert.True(ambiguous);
        Assert.Null(DayMonthDates.Infer(["a", "2024-03-15"], out ambiguous));
        Assert.False(ambiguous);
    }

    // Daily dates over two years, as ISO or as a spreadsheet of either country writes them; the target follows the weekday.
    private Table Daily(string name, Func<DateTime, string> write, int rows = 400)
    {
        var text = new System.Text.StringBuilder("day,load\n");
        for (int r = 0; r < rows; r++)
        {
            DateTime day = new DateTime(2022, 1, 1).AddDays(r * 2);
            text.Append(write(day)).Append(',').Append(((int)day.DayOfWeek * 1.5 + r * 0.01).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return Table.Read(Files.Write(name, text.ToString()));
    }

    [Fact]
    public void A_column_written_either_way_fits_as_its_iso_twin_to_the_bit()
    {
        var iso = TabularPreprocessor.Fit(Daily("iso.csv", d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        var us = TabularPreprocessor.Fit(Daily("us.csv", d => d.ToString("M/d/yyyy", CultureInfo.InvariantCulture)));
        var de = TabularPreprocessor.Fit(Daily("de.csv", d => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)));
        Assert.Null(iso.State.Features[0].Order);
        Assert.Equal(DateOrder.MonthFirst, us.State.Features[0].Order);
        Assert.Equal(DateOrder.DayFirst, de.State.Features[0].Order);
        foreach (var other in new[] { us, de })
        {
            Assert.Equal(iso.State.Features[0] with { Order = null }, other.State.Features[0] with { Order = null }, new FeatureStateComparer());
            Assert.Equal(4, other.State.Version);
        }
        Assert.Equal(3, iso.State.Version);
        Assert.Contains(us.Notes, note => note.StartsWith("column 'day': dates, the month first (as in '1/13/2022'), as days since 1970-01-01 with the weekday and the time of year", StringComparison.Ordinal));

        // A new file in the training file's order predicts as the ISO one; in the other, a date that cannot be is refused.
        double[] expected = iso.Transform<double>(Daily("iso-new.csv", d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), rows: 20)).Features.Data;
        Assert.Equal(expected, us.Transform<double>(Daily("us-new.csv", d => d.ToString("M/d/yyyy h:mm tt", CultureInfo.InvariantCulture), rows: 20)).Features.Data);
        var e = Assert.Throws<BackpropException>(() => us.Transform<double>(Daily("de-new.csv", d => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture), rows: 20)));
        Assert.Equal($"Expected a date such as 3/15/2024, the month first, in column 'day' (dates in the training data). Received: '13.01.2022' at " +
            $"{Path.Combine(Files.Directory, "de-new.csv")} line 8.", e.Message);

        TabularPreprocessorState read = TabularPreprocessorState.FromJson(us.State.ToJson());
        Assert.Equal(DateOrder.MonthFirst, read.Features[0].Order);
        var old = Assert.Throws<BackpropException>((us.State with { Version = 3 }).Validate);
        Assert.Contains("version 4 or later for dates with the year last", old.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_monthly_series_on_the_1st_is_read_with_the_1_as_the_day()
    {
        // 2/1/2020 is the 1st of February or the 2nd of January; a column of nothing but 1sts of months is a monthly series.
        foreach ((string name, Func<int, int, string> write, DateOrder order) in new (string, Func<int, int, string>, DateOrder)[]
        {
            ("us.csv", (month, year) => $"{month}/1/{year}", DateOrder.MonthFirst),
            ("de.csv", (month, year) => $"01.{month:00}.{year}", DateOrder.DayFirst),
        })
        {
            var text = new System.Text.StringBuilder("month,price,sales\n");
            for (int r = 0; r < 60; r++) text.Append(CultureInfo.InvariantCulture, $"{write(1 + r % 12, 2020 + r / 12)},{r % 7},{r * 3 % 17}\n");
            var preprocessor = TabularPreprocessor.Fit(Table.Read(Files.Write(name, text.ToString())));
            FeatureColumnState month = preprocessor.State.Features.Single(f => f.Name == "month");
            Assert.Equal(order, month.Order);
            // The mean of the 60 firsts of the months, as days since 1970: the dates were read as those firsts.
            double mean = Enumerable.Range(0, 60).Average(r => (new DateTime(2020 + r / 12, 1 + r % 12, 1) - DateTime.UnixEpoch).TotalDays);
            Assert.Equal(mean, month.Mean, 9);
            Assert.Contains(preprocessor.Notes, note => note.StartsWith($"column 'month': dates, the {(order == DateOrder.DayFirst ? "day" : "month")} first " +
                $"(every one on the 1st of a month, as '{write(1, 2020)}'), as days since 1970-01-01 with the time of year;", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_column_whose_values_do_not_tell_the_order_stays_text_and_says_why()
    {
        // 1/2/2024 is the 2nd of January or the 1st of February, and so on: no day above 12, no day always the 1st.
        var text = new System.Text.StringBuilder("day,price,sales\n");
        for (int r = 0; r < 60; r++) text.Append(CultureInfo.InvariantCulture, $"{1 + r % 12}/{1 + r * 5 % 12}/{2020 + r / 12},{r % 7},{r * 3 % 17}\n");
        var preprocessor = TabularPreprocessor.Fit(Table.Read(Files.Write("undecided.csv", text.ToString())));
        Assert.Contains("column 'day' holds dates with the year last (such as '1/1/2020'), but no day above 12 tells whether the day or the month comes first: " +
            "read as text; to use them as dates, give the order (DateOrder day-first or month-first) or write them year first (2024-02-01)", preprocessor.Notes);
        Assert.DoesNotContain(preprocessor.State.Features, f => f.Kind == FeatureKind.Date);
    }

    [Theory]
    [InlineData(DateOrder.DayFirst)]
    [InlineData(DateOrder.MonthFirst)]
    public void A_given_order_reads_a_column_whose_values_do_not_tell_it(DateOrder order)
    {
        // The column of the test above: its values fit both orders, and each order reads other dates.
        var text = new System.Text.StringBuilder("day,price,sales\n");
        var dates = new List<DateTime>();
        for (int r = 0; r < 60; r++)
        {
            (int first, int second, int year) = (1 + r % 12, 1 + r * 5 % 12, 2020 + r / 12);
            text.Append(CultureInfo.InvariantCulture, $"{first}/{second}/{year},{r % 7},{r * 3 % 17}\n");
            dates.Add(order == DateOrder.DayFirst ? new DateTime(year, second, first) : new DateTime(year, first, second));
        }
        var preprocessor = TabularPreprocessor.Fit(Table.Read(Files.Write("given.csv", text.ToString())), new TabularOptions(DateOrder: order));
        FeatureColumnState day = preprocessor.State.Features.Single(f => f.Name == "day");
        Assert.Equal(FeatureKind.Date, day.Kind);
        Assert.Equal(order, day.Order);
        // The mean of the days as this order reads them: the other order's dates would give another.
        Assert.Equal(dates.Average(d => (d - DateTime.UnixEpoch).TotalDays), day.Mean, 9);
        string name = order == DateOrder.DayFirst ? "day" : "month";
        Assert.Contains(preprocessor.Notes, note => note.StartsWith(
            $"column 'day': dates, the {name} first (DateOrder {name}-first), as days since 1970-01-01", StringComparison.Ordinal));
        Assert.DoesNotContain(preprocessor.Notes, note => note.Contains("no day above 12", StringComparison.Ordinal));
    }

    [Fact]
    public void A_given_order_that_a_value_contradicts_is_an_error_at_its_cell()
    {
        // Dates written day first, most of them readable either way: month-first would misread those and fail on the 13th onwards.
        var text = new System.Text.StringBuilder("day,y\n");
        for (int r = 0; r < 100; r++) text.Append(new DateTime(2021, 3, 1).AddDays(r * 3).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)).Append(',').Append(r % 3).Append('\n');
        Table table = Table.Read(Files.Write("day-first.csv", text.ToString()));
        Assert.Equal(DateOrder.DayFirst, TabularPreprocessor.Fit(table, new TabularOptions(DateOrder: DateOrder.DayFirst)).State.Features[0].Order);
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table, new TabularOptions(DateOrder: DateOrder.MonthFirst)));
        Assert.Equal($"Expected dates with the month first in column 'day' (DateOrder month-first). Received: '13/03/2021' at {table.Source} line 6, " +
            "a date only with the day first; leave out DateOrder to let each column's dates tell their order.", e.Message);
    }

    [Fact]
    public void A_given_order_leaves_iso_dates_and_text_as_they_are()
    {
        // ISO dates need no order; a text column with one year-last date in it is text, not a contradiction.
        var text = new System.Text.StringBuilder("iso,note,y\n");
        for (int r = 0; r < 60; r++) text.Append(CultureInfo.InvariantCulture, $"2021-03-{1 + r % 28:00},{(r == 7 ? "13/01/2021" : "word" + r % 4)},{r % 3}\n");
        Table table = Table.Read(Files.Write("iso-and-text.csv", text.ToString()));
        var told = TabularPreprocessor.Fit(table);
        var given = TabularPreprocessor.Fit(table, new TabularOptions(DateOrder: DateOrder.MonthFirst));
        Assert.Equal(told.State.ToJson(), given.State.ToJson());
        Assert.Null(given.State.Features.Single(f => f.Name == "iso").Order);
        Assert.Equal(FeatureKind.Categorical, given.State.Features.Single(f => f.Name == "note").Kind);
    }

    [Fact]
    public void A_typo_among_dates_with_the_year_last_is_an_error_at_its_cell()
    {
        var text = new System.Text.StringBuilder("day,y\n");
        for (int r = 0; r < 400; r++) text.Append(r == 40 ? "2/30/2021" : new DateTime(2021, 1, 1).AddDays(r).ToString("M/d/yyyy", CultureInfo.InvariantCulture)).Append(',').Append(r % 3).Append('\n');
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(Table.Read(Files.Write("days.csv", text.ToString()))));
        Assert.StartsWith("Expected a date in column 'day', as its other 399 values are. Received: '2/30/2021' at ", e.Message);
    }

    // Records compare their arrays by reference: this compares the fitted numbers.
    private sealed class FeatureStateComparer : IEqualityComparer<FeatureColumnState>
    {
        public bool Equals(FeatureColumnState? x, FeatureColumnState? y) =>
            x!.Kind == y!.Kind && x.Mean == y.Mean && x.Scale == y.Scale && x.Fill == y.Fill && x.Edges!.SequenceEqual(y.Edges!) && x.Calendar!.SequenceEqual(y.Calendar!);

        public int GetHashCode(FeatureColumnState obj) => 0;
    }
}
