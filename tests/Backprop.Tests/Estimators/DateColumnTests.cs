using System.Globalization;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Serialization.Onnx;
using Backprop.Tensors;
using Backprop.Tests.Cli;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.Estimators;

/// <summary>
/// Columns of ISO 8601 dates (<see cref="FeatureKind.Date"/>) end to end: read as days since 1970, imputed, scaled and binned as
/// numbers, kept in the model file, refused when a new file's cell is not a date, explained on a date axis, and computed the
/// same by ONNX Runtime from the days.
/// </summary>
public sealed class DateColumnTests : TempFileTest
{
    private static readonly DateTime Start = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private string PathOf(string name) => Path.Combine(Files.Directory, name);

    // A daily series: `day` (one date a row, every 9th with a time, row 5 missing), `x`, and `y`, a trend in time plus x.
    private string Series(int rows = 150, int step = 1)
    {
        var lines = new List<string> { "day,x,y" };
        var rng = new Rng(3);
        for (int r = 0; r < rows; r++)
        {
            DateTime day = Start.AddDays(step * r).AddHours(r % 9 == 0 ? 6 : 0);
            string cell = r == 5 ? "" : r % 9 == 0 ? day.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            double x = rng.NextNormal();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{cell},{x:R},{r / 30.0 + x:R}"));
        }
        return Files.Write("series.csv", string.Join("\n", lines) + "\n");
    }

    [Fact]
    public void A_column_of_dates_is_days_since_1970_imputed_and_scaled_as_a_number()
    {
        Table table = Table.Read(Series());
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table, new TabularOptions(Target: "y", PiecewiseLinearBins: 8));
        FeatureColumnState day = preprocessor.State.Features[0];

        // A date per row is not dropped as an identifier, as 150 distinct words would be.
        Assert.Equal(FeatureKind.Date, day.Kind);
        Assert.Equal(3, preprocessor.State.Version);
        double[] days = [.. Enumerable.Range(0, 150).Where(r => r != 5).Select(r => 18262 + r + (r % 9 == 0 ? 0.25 : 0))];
        Assert.Equal(days.Average(), day.Fill, 9); // the missing day is the mean
        Assert.Equal(day.Fill, day.Mean, 9);
        Assert.Contains(preprocessor.Notes, n => n == $"imputed 1 missing value(s) in column 'day' with the mean {IsoDates.Format(day.Fill)}");
        Assert.Contains(preprocessor.Notes, n => n.StartsWith("column 'day': dates, as days since 1970-01-01 with the weekday and the time of day; to read them as categories: ", StringComparison.Ordinal));
        Assert.Equal(9, day.Edges!.Length); // binned as a numeric column is
        Assert.Equal(days.Min(), day.Edges[0]);
        // Daily, with times of day, over less than a year: the weekday and the time of day, after the days and their 8 bins.
        Assert.Equal([CalendarPart.Weekday, CalendarPart.Day], day.Calendar!);
        Assert.Equal(1 + 8 + 7 + 2, day.Width);
        Assert.Equal(["day", "day (bin 1 of 8)"], preprocessor.FeatureNames.Take(2));
        Assert.Equal(["day (Monday)", "day (time of day, cosine)"], [preprocessor.FeatureNames[9], preprocessor.FeatureNames[17]]);

        var inputs = preprocessor.TransformFeatures<double>(table);
        var expected = new double[day.Width];
        preprocessor.EncodeNumber<double>(day, 18262 + 9 + 0.25, expected); // row 9: 2020-01-10T06:00:00Z, a Friday
        Assert.Equal(expected, inputs.Row(9)[..day.Width].ToArray());
        Assert.Equal((18262 + 9.25 - day.Mean) / day.Scale, inputs[9, 0], 12);
        Assert.Equal([0.0, 0, 0, 0, 1, 0, 0], inputs.Row(9)[9..16].ToArray());
        Assert.Equal(1, inputs[9, 16], 12); // sin of a quarter turn of the day
    }

    [Fact]
    public void Dates_asked_to_be_categories_stay_categories_and_a_column_with_a_word_is_not_dates()
    {
        Table table = Table.Read(Series());
        Assert.Equal(FeatureKind.Categorical,
            TabularPreprocessor.Fit(table, new TabularOptions(Target: "y", Categorical: ["day"], MaxCategories: 1000)).State.Features[0].Kind);
        string mixed = Files.Write("mixed.csv", "when,x,y\n2024-01-01,1,2\nsoon,2,3\n2024-01-03,3,4\n2024-01-01,4,5\n");
        Assert.Equal(FeatureKind.Categorical, TabularPreprocessor.Fit(Table.Read(mixed), new TabularOptions(Target: "y")).State.Features[0].Kind);
    }

    [Fact]
    public void The_model_file_keeps_the_dates_and_a_new_file_with_another_value_is_refused_where_it_is()
    {
        var options = new TabularTrainingOptions { Data = Series(), Target = "y", HiddenLayers = [8], Epochs = 3, Members = 2, SavePath = PathOf("m.safetensors") };
        TabularModel<double> trained = new TabularTrainer<double>(options).Fit().Model;
        TabularModel<double> loaded = TabularModel<double>.Load(PathOf("m.safetensors"));
        Assert.Equal(trained.Preprocessor.State.ToJson(), loaded.Preprocessor.State.ToJson());

        // A new file: dates at other times of day, a zone, a missing one; its `day` cells are read as text, whatever they hold.
        string fresh = Files.Write("new.csv", "day,x\n2020-02-01,0.5\n2020-02-01T12:00:00+02:00,0.5\n,0.5\n2021-06-30 23:59,-1\n");
        Table table = Table.Read(fresh, loaded.Preprocessor.ReadOptions());
        Assert.Equal(trained.PredictValues(table), loaded.PredictValues(table));
        double[] values = loaded.PredictValues(table);
        Assert.NotEqual(values[0], values[1]); // ten hours later

        string wrong = Files.Write("wrong.csv", "day,x\n2020-02-01,0.5\n20200202,0.5\n");
        var error = Assert.Throws<BackpropException>(() => loaded.PredictValues(Table.Read(wrong, loaded.Preprocessor.ReadOptions())));
        Assert.Equal($"Expected a date such as 2024-03-01 or 2024-03-01T12:30:00 in column 'day' (dates in the training data). Received: '20200202' at {wrong} line 3.", error.Message);
    }

    [Fact]
    public void A_parquet_timestamp_column_is_the_same_date_column_as_its_csv_text()
    {
        DateTime[] when = [.. Enumerable.Range(0, 40).Select(r => Start.AddDays(3 * r).AddHours(r % 4 == 0 ? 12 : 0))];
        double[] y = [.. Enumerable.Range(0, 40).Select(r => r * 0.1 + (r % 3))];
        string parquet = Backprop.Tests.Data.ApacheParquet.Write(PathOf("t.parquet"), 16, ParquetSharp.Compression.Snappy, ("when", when), ("y", y));
        string csv = Files.Write("t.csv", "when,y\n" + string.Join("\n", when.Zip(y, (w, v) =>
            string.Create(CultureInfo.InvariantCulture, $"{w:yyyy-MM-dd'T'HH:mm:ss},{v:R}"))) + "\n");
        var options = new TabularOptions(Target: "y", PiecewiseLinearBins: 4);
        TabularPreprocessorState fromParquet = TabularPreprocessor.Fit(Table.Read(parquet), options).State;
        Assert.Equal(FeatureKind.Date, fromParquet.Features[0].Kind);
        Assert.Equal(TabularPreprocessor.Fit(Table.Read(csv), options).State.ToJson(), fromParquet.ToJson());
    }

    [Fact]
    public void A_state_with_dates_needs_version_3()
    {
        TabularPreprocessorState state = TabularPreprocessor.Fit(Table.Read(Series()), new TabularOptions(Target: "y")).State;
        string older = state.ToJson().Replace("\"version\":3", "\"version\":2", StringComparison.Ordinal);
        var error = Assert.Throws<BackpropException>(() => TabularPreprocessorState.FromJson(older));
        Assert.Equal("Expected a valid preprocessing state: version 3 or later for a date column. Received: version 2.", error.Message);
    }

    [Fact]
    public void The_dependence_on_a_date_is_over_its_days()
    {
        TabularModel<double> model = new TabularTrainer<double>(new TabularTrainingOptions { Data = Series(), Target = "y", HiddenLayers = [8], Epochs = 3, Members = 2 }).Fit().Model;
        var rows = model.Preprocessor.TransformFeatures<double>(Table.Read(Series(), model.Preprocessor.ReadOptions()));
        DependenceCurve curve = PartialDependence.Compute(model, rows, "day", points: 5);
        Assert.True(curve.Numeric);
        Assert.True(curve.Dates);
        // From the 5% to the 95% quantile of the days the rows hold (2020-01-01 is day 18262).
        Assert.InRange(curve.Values[0], 18262, 18262 + 20);
        Assert.InRange(curve.Values[^1], 18262 + 130, 18262 + 150);
    }

    [Theory]
    [InlineData(1, false)] // daily over 150 days: the weekday and the time of day
    [InlineData(5, false)] // every 5 days over two years: the time of year too
    [InlineData(5, true)] // robust scaling: the scaled days clipped in the row
    public void OnnxRuntime_computes_a_model_with_dates_from_their_days_as_Backprop_does(int step, bool robust)
    {
        string path = Series(step: step);
        var options = new TabularTrainingOptions
        {
            Data = path, Target = "y", HiddenLayers = [8], Epochs = 3, Members = 2, Scaling = robust ? NumericScaling.Robust : NumericScaling.Standard,
        };
        TabularModel<float> model = new TabularTrainer<float>(options).Fit().Model;
        Assert.Equal(step == 1 ? [CalendarPart.Weekday, CalendarPart.Day] : [CalendarPart.Weekday, CalendarPart.Year, CalendarPart.Day],
            model.Preprocessor.State.Features[0].Calendar!);

        // The date is its own input, days since 1970 in double (NaN where missing); the numbers are `features` as ever.
        Table table = Table.Read(path, model.Preprocessor.ReadOptions());
        TableColumn day = table.Find("day")!, x = table.Find("x")!;
        var days = new double[table.RowCount];
        var features = new float[table.RowCount];
        for (int r = 0; r < table.RowCount; r++)
        {
            string? text = day.GetText(r);
            days[r] = text is null ? double.NaN : IsoDates.TryParseDays(text, out double value) ? value : throw new InvalidOperationException(text);
            features[r] = (float)x.GetNumber(r);
        }
        using var session = new InferenceSession(OnnxExporter.ToBytes(model.Network, model.OnnxOptions()));
        Assert.Equal("[\"day\"]", session.ModelMetadata.CustomMetadataMap["date_features"]);
        Assert.Contains("Input 'day' double[N, 1], dates as days since 1970-01-01 UTC", session.ModelMetadata.Description);
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(features, [table.RowCount, 1])),
            NamedOnnxValue.CreateFromTensor("day", new DenseTensor<double>(days, [table.RowCount, 1])),
        ]);
        float[] actual = results.First(v => v.Name == "prediction").AsEnumerable<float>().ToArray();
        double[] expected = model.PredictValues(table);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1, Math.Abs(e))).Max();
        Assert.True(worst < 1e-5, $"largest relative difference {worst}");
    }

    [Fact]
    public void The_cli_names_the_date_column_in_what_it_read_and_in_info()
    {
        string path = Series(), model = PathOf("cli.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--data", path, "--target", "y", "--epochs", "2", "--members", "2", "--save", model, "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("from 1 numeric, 1 date columns", error);
        Assert.Contains("note: column 'day': dates, as days since 1970-01-01 with the weekday and the time of day; to read them as categories: --categorical day", error);
        var (infoCode, info, _) = CliRunner.Run("info", "--model", model);
        Assert.Equal(0, infoCode);
        Assert.Contains("  day  date         mean 2020-03-", info);
        Assert.Contains("; with the weekday, the time of day", info);
        var (jsonCode, json, _) = CliRunner.Run("info", "--model", model, "--json");
        Assert.Equal(0, jsonCode);
        Assert.Contains("{\"name\":\"day\",\"kind\":\"date\",\"bin_edges\":[", json);
        Assert.Contains("],\"calendar\":[\"weekday\",\"day\"]}", json);
    }

    [Fact]
    public void The_cli_reads_dates_written_month_first_and_says_so_in_info()
    {
        // The same series as an American spreadsheet exports it: 1/13/2020 6:00 AM.
        string iso = File.ReadAllText(Series());
        string us = System.Text.RegularExpressions.Regex.Replace(iso, @"(\d{4})-(\d{2})-(\d{2})(T(\d{2}):00:00Z)?", m =>
            $"{int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)}/{int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)}/{m.Groups[1].Value}" +
            (m.Groups[4].Success ? $" {int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture)}:00 AM" : ""));
        string path = Files.Write("us.csv", us), model = PathOf("us.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--data", path, "--target", "y", "--epochs", "2", "--members", "2", "--save", model, "--quiet");
        Assert.True(code == 0, error);
        Assert.Contains("from 1 numeric, 1 date columns", error);
        Assert.Contains("note: column 'day': dates, the month first (as in '1/13/2020'), as days since 1970-01-01 with the weekday and the time of day;", error);
        var (_, info, _) = CliRunner.Run("info", "--model", model);
        Assert.Contains("  day  date         written month first (3/15/2024), mean 2020-03-", info);
        var (_, json, _) = CliRunner.Run("info", "--model", model, "--json");
        Assert.Contains("],\"date_order\":\"month-first\",\"calendar\":[\"weekday\",\"day\"]}", json);
    }

    [Fact]
    public void A_given_date_order_trains_on_dates_no_value_tells_and_the_file_fixes_it()
    {
        // Days 1 to 12 of each month, written day first: the values fit both orders, so without the option the column is text.
        var lines = new List<string> { "day,x,y" };
        var rng = new Rng(5);
        for (int r = 0; r < 120; r++)
        {
            var date = new DateTime(2021, 1 + r % 12, 1 + r * 7 % 12);
            double x = rng.NextNormal();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{date:dd/MM/yyyy},{x:R},{(date - Start).TotalDays / 100 + x:R}"));
        }
        string data = Files.Write("day-first.csv", string.Join("\n", lines) + "\n");
        var options = new TabularTrainingOptions { Data = data, Members = 2, HiddenLayers = [8], Epochs = 3, EarlyStopping = null, SavePath = PathOf("d.safetensors") };
        var notes = new List<TrainingNote>();
        Assert.Equal(0, new TabularTrainer<double>(options) { Notes = notes.Add }.Fit().Model.Preprocessor.State.Features.Count(f => f.Kind == FeatureKind.Date));
        Assert.Contains(notes, note => note.Text.Contains("no day above 12 tells whether the day or the month comes first", StringComparison.Ordinal));

        TabularModel<double> model = new TabularTrainer<double>(options with { DateOrder = DateOrder.DayFirst }).Fit().Model;
        FeatureColumnState day = model.Preprocessor.State.Features.Single(f => f.Name == "day");
        Assert.Equal((FeatureKind.Date, DateOrder.DayFirst), (day.Kind, day.Order));
        // The file keeps the option; a resumed run cannot change it, and continues with it.
        Assert.Equal("DateOrder", Assert.Throws<OptionException>(() =>
            TabularTrainer<double>.Resume(PathOf("d.safetensors"), o => o with { DateOrder = DateOrder.MonthFirst })).Option);
        Assert.Equal("DateOrder", Assert.Throws<OptionException>(() =>
            TabularTrainer<double>.Resume(PathOf("d.safetensors"), o => o with { DateOrder = null })).Option);
        TabularTrainer<double> resumed = TabularTrainer<double>.Resume(PathOf("d.safetensors"), o => o with { Epochs = 4, SavePath = null });
        Assert.Equal(DateOrder.DayFirst, resumed.Options.DateOrder);
        Assert.Equal(3, resumed.Fit().InitialEpoch);
    }
}
