using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Backprop.Tests.Cli;

/// <summary><c>backprop train --data FILE.csv</c> end to end, on CSV files written by the tests.</summary>
public sealed partial class TrainDataTests : TempFileTest
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Backprop.Cli.Cli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"^(Epoch \d+ Loss: \S+|Training Accuracy: \S+)$")]
    private static partial Regex TrainLine();

    // Pets: weight and color tell cat from dog; some cells missing, an id column, semicolons, CRLF.
    private string Pets(char delimiter = ',', string newline = "\n")
    {
        var random = new Random(5);
        var text = new StringBuilder();
        string[] header = ["id", "weight", "color", "indoor", "kind"];
        text.Append(string.Join(delimiter, header)).Append(newline);
        for (int i = 0; i < 60; i++)
        {
            bool dog = i % 2 == 0;
            string weight = i % 7 == 3 ? "NA" : (dog ? 20 + random.NextDouble() * 10 : 3 + random.NextDouble() * 3).ToString("F2", CultureInfo.InvariantCulture);
            string color = i % 9 == 4 ? "" : dog ? (i % 3 == 0 ? "brown" : "black") : (i % 3 == 0 ? "grey" : "white");
            string indoor = i % 11 == 5 ? "?" : dog ? "false" : "true";
            text.Append(string.Join(delimiter, $"pet{i}", weight, color, indoor, dog ? "dog" : "cat")).Append(newline);
        }
        return Files.Write("pets.csv", text.ToString());
    }

    [Fact]
    public void A_string_target_a_categorical_feature_and_missing_cells_train_without_any_flag()
    {
        var (exit, output, error) = Run("train", "--recipe", "plain", "--data", Pets(), "--epochs", "20");
        Assert.Equal(0, exit);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(21, lines.Length);
        Assert.All(lines, line => Assert.Matches(TrainLine(), line));
        Assert.StartsWith("Epoch 0 Loss: ", lines[0]);
        Assert.StartsWith("Training Accuracy: ", lines[^1]);
        double accuracy = double.Parse(lines[^1]["Training Accuracy: ".Length..], CultureInfo.InvariantCulture);
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
        Assert.Contains("note: dropped column 'id': identifier-like (all 60 values distinct)", error);
        Assert.Contains("note: imputed 9 missing value(s) in column 'weight' with the mean", error);
        Assert.Contains("note: imputed 7 missing value(s) in column 'color' with the most frequent value", error);
        Assert.Contains("note: imputed 5 missing value(s) in column 'indoor' with the most frequent value", error);
    }

    [Fact]
    public void The_split_holds_out_validation_rows_and_the_preprocessing_is_fitted_on_the_rest()
    {
        var notes = new List<string>();
        var trainer = new Backprop.Estimators.TabularTrainer<float>(Backprop.Estimators.TabularTrainingOptions.Notebook with
        {
            Data = Pets(), Dataset = null, HiddenLayers = [4], Epochs = 1, Seed = 2, ValidationFraction = 0.25,
        })
        {
            Notes = note => notes.Add($"{(note.IsWarning ? "warning" : "note")}: {note.Text}"),
        };
        var run = trainer.Fit();
        Assert.Equal(44, run.TrainingData.Count);   // 30 cats and 30 dogs: a quarter of each, 7.5, rounds to 8 held out
        Assert.Equal(16, run.ValidationData!.Count);
        Assert.Equal(run.TrainingData.FeatureNames, run.ValidationData.FeatureNames);
        Assert.Equal(["cat", "dog"], run.Model.Preprocessor.ClassNames);
        // Standardized with the training rows' statistics: their weight column has mean 0.
        Assert.Equal(0, Enumerable.Range(0, 44).Average(r => run.TrainingData.Features[r, 0]), 5);
        Assert.StartsWith("note: read 60 rows × 5 columns of ", notes[0]);
        Assert.EndsWith("(delimiter ','): 6 inputs from 1 numeric, 1 boolean, 1 categorical columns; target 'kind', 2 classes", notes[0]);
        Assert.StartsWith("note: dropped column 'id'", notes[1]);
    }

    [Fact]
    public void Semicolons_crlf_and_the_data_options()
    {
        string path = Pets(';', "\r\n");
        var (exit, output, error) = Run("train", "--recipe", "plain", "--data", path, "--target", "kind", "--features", "weight,color", "--missing", "median",
            "--delimiter", ";", "--epochs", "2", "--precision", "f64");
        Assert.Equal(0, exit);
        Assert.Equal(3, output.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("with the median", error);
        Assert.DoesNotContain("'id'", error);  // not a feature, so not dropped either
        Assert.DoesNotContain("indoor", error);
    }

    [Fact]
    public void Missing_error_mode_fails_with_the_line_and_column()
    {
        string path = Pets();
        var (exit, output, error) = Run("train", "--data", path, "--missing", "error", "--drop", "id");
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: Expected no missing values (missing = error). Received: 'NA' in column 'weight' at {path} line 5.\n", error);
    }

    [Fact]
    public void A_numeric_column_can_be_categorical_and_a_numeric_target_is_classes()
    {
        string path = Files.Write("codes.csv", "code,x,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 4},{i % 5},{i % 4 / 2 + 1}\n")));
        var (exit, output, _) = Run("train", "--recipe", "plain", "--data", path, "--categorical", "code", "--epochs", "30", "--hidden", "8");
        Assert.Equal(0, exit);
        Assert.EndsWith("Training Accuracy: 1\n", output); // y is exactly code 0,1 → 1 and code 2,3 → 2
    }

    [Fact]
    public void A_missing_file_is_one_error_line_and_exit_code_1()
    {
        var (exit, output, error) = Run("train", "--data", Path.Combine(Files.Directory, "absent.csv"));
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: Expected an existing CSV or Parquet file, a folder of them, or a glob. Received: '", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_numeric_target_with_many_values_is_a_regression()
    {
        string path = Files.Write("reg.csv", "x,y\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{i * 0.37}\n")));
        var (exit, output, error) = Run("train", "--data", path, "--epochs", "100");
        Assert.True(exit == 0, error);
        Assert.Matches(@"Training R²: 0\.9[0-9]*", output);
    }

    [Theory]
    [InlineData("--target", "y")]
    [InlineData("--missing", "median")]
    public void Data_options_need_data(string option, string value)
    {
        var (exit, _, error) = Run("train", option, value);
        Assert.Equal(2, exit);
        Assert.Contains($"{option}: expected together with --data FILE.", error);
    }

    [Fact]
    public void Data_and_dataset_together_are_a_usage_error()
    {
        var (exit, _, error) = Run("train", "--data", "x.csv", "--dataset", "wine");
        Assert.Equal(2, exit);
        Assert.Contains("--data: expected either --data FILE or --dataset NAME. Received: both.", error);
    }

    [Theory]
    [InlineData("--delimiter", "ab")]
    [InlineData("--missing", "zero")]
    public void Bad_data_option_values_are_usage_errors(string option, string value)
    {
        var (exit, _, _) = Run("train", "--data", "x.csv", option, value);
        Assert.Equal(2, exit);
    }

    [Fact]
    public void Without_data_train_is_still_the_notebook()
    {
        var (exit, output, error) = Run("train", "--epochs", "3");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(["Epoch 0 Loss: ", "Epoch 1 Loss: ", "Epoch 2 Loss: ", "Training Accuracy: "], lines.Select(l => l[..(l.IndexOf(':') + 2)]));
    }

    [Theory]
    [InlineData("--drop", "kind")]     // the target by default: the last column
    [InlineData("--keep", "kind")]
    [InlineData("--features", "weight,kind")]
    public void A_column_list_naming_the_target_is_a_usage_error(string option, string value)
    {
        var (exit, _, error) = Run("train", "--data", Pets(), option, value, "--epochs", "1");
        Assert.Equal(2, exit);
        Assert.Equal($"error: {option}: expected columns other than the target 'kind'. Received: 'kind'.\n", error);
        (exit, _, error) = Run("train", "--data", Pets(), "--target", "kind", option, value, "--epochs", "1");
        Assert.Equal(2, exit); // refused before the file is read
        Assert.Equal($"error: {option}: expected columns other than the target 'kind'. Received: 'kind'.\n", error);
    }

    [Fact]
    public void Notes_name_the_flag_that_changes_the_decision()
    {
        string file = Files.Write("spector.csv", "OBS,GPA,GRADE\n" + string.Concat(Enumerable.Range(0, 32).Select(r =>
            FormattableString.Invariant($"{r + 1},{2 + r * 7 % 11 / 10.0},{r * 5 % 3 % 2}\n"))));
        var (exit, _, error) = Run("train", "--data", file, "--epochs", "1");
        Assert.Equal(0, exit);
        Assert.Contains("note: dropped column 'OBS': it numbers the rows (1 to 32 in file order); to use it as a feature: --keep\n", error);
        (exit, _, error) = Run("train", "--data", file, "--epochs", "1", "--keep", "OBS");
        Assert.Equal(0, exit);
        Assert.Contains("18 inputs from 2 numeric columns", error); // each number and its 8 bins
        Assert.DoesNotContain("OBS", error);
    }

    [Fact]
    public void Rows_without_a_target_are_noted_also_when_a_validation_split_leaves_them_out()
    {
        string file = Files.Write("gaps.csv", "x,y\n" + string.Concat(Enumerable.Range(0, 40).Select(r => $"{r % 7},{(r % 10 == 3 ? "" : (r % 2).ToString(CultureInfo.InvariantCulture))}\n")));
        foreach (string[] split in (string[][])[[], ["--validation", "0.25"]])
        {
            var (exit, _, error) = Run(["train", "--data", file, "--epochs", "1", .. split]);
            Assert.Equal(0, exit);
            Assert.Contains("note: skipped 4 row(s) whose target 'y' is missing\n", error);
        }
    }

    [Fact]
    public void Json_carries_the_notes_as_printed()
    {
        string pets = Pets();
        var (exit, output, error) = Run("train", "--recipe", "plain", "--data", pets, "--epochs", "2", "--json", "--save", System.IO.Path.Combine(Files.Directory, "pets.safetensors"));
        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        string[] notes = json.RootElement.GetProperty("notes").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains("dropped column 'id': identifier-like (all 60 values distinct); to use it as a feature: --keep", notes);
        Assert.Equal(error.TrimEnd('\n').Split('\n').Where(l => l.StartsWith("note: ", StringComparison.Ordinal)).Select(l => l["note: ".Length..]), notes);
        Assert.Equal(0, json.RootElement.GetProperty("warnings").GetArrayLength());

        // evaluate and predict too: a category never seen in training, a missing cell.
        string fresh = Files.Write("fresh.csv", "id,weight,color,indoor,kind\nx1,25.0,purple,false,dog\nx2,,grey,true,cat\n");
        foreach (string command in (string[])["evaluate", "predict"])
        {
            string[] extra = command == "predict" ? ["--out", System.IO.Path.Combine(Files.Directory, "out.csv")] : [];
            (exit, output, _) = Run([command, "--model", System.IO.Path.Combine(Files.Directory, "pets.safetensors"), "--data", fresh, "--json", .. extra]);
            Assert.Equal(0, exit);
            using var result = System.Text.Json.JsonDocument.Parse(output);
            Assert.Equal(["column 'color': 1 row(s) with a category not seen in training (such as 'purple') encoded as all zeros"],
                result.RootElement.GetProperty("warnings").EnumerateArray().Select(e => e.GetString()));
            Assert.StartsWith("imputed 1 missing value(s) in column 'weight' with the training mean ", result.RootElement.GetProperty("notes")[0].GetString());
        }
    }

    [Fact]
    public void Validating_on_the_training_file_trains_with_a_warning()
    {
        string file = Files.Write("same.csv", "x,y\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i},{(i % 3 == 0 ? "a" : "b")}")) + "\n");
        var (exit, _, error) = Run("train", "--data", file, "--validation-data", Path.Combine(Path.GetDirectoryName(file)!, ".", "same.csv"), "--epochs", "1");
        Assert.Equal(0, exit);
        Assert.Contains("warning: --validation-data is the --data file: the rows it validates on are the rows it trains on", error);
        // After what was read and the recipe, as every remark on the options.
        string[] lines = error.Split('\n');
        Assert.StartsWith("note: read 40 rows", lines[0]);
        Assert.StartsWith("note: recipe quick", lines[1]);
        Assert.StartsWith("warning: --validation-data is the --data file", lines[2]);
        var (_, _, apart) = Run("train", "--data", file, "--validation-data", Files.Write("other.csv", File.ReadAllText(file)), "--epochs", "1");
        Assert.DoesNotContain("warning:", apart);
    }

    [Fact]
    public void Counts_of_one_are_singular()
    {
        string file = Files.Write("one.csv", "x,y\n0.5,1.5\n");
        var (exit, _, error) = Run("train", "--data", file, "--epochs", "1", "--validation", "0", "--members", "1");
        Assert.Equal(0, exit);
        Assert.Contains("): 1 input from 1 numeric column; target 'y', regression\n", error);
        Assert.Contains("note: read 1 row × 2 columns of ", error);
    }

    // 150 rows of a measurement and a class it predicts, as iris; the measurement of line 101 written '1.2.3'.
    private string MeasurementWithTypo()
    {
        var text = new StringBuilder("length,kind\n");
        for (int r = 0; r < 150; r++)
        {
            string length = r == 99 ? "1.2.3" : (1 + r % 50 / 10.0 + (r % 3) * 5).ToString(CultureInfo.InvariantCulture);
            text.Append(length).Append(',').Append("abc"[r % 3]).Append('\n');
        }
        return Files.Write("typo.csv", text.ToString());
    }

    [Fact]
    public void A_typo_in_a_column_of_numbers_is_one_line_at_its_cell_and_the_option_it_suggests_works()
    {
        string path = MeasurementWithTypo();
        var (exit, _, error) = Run("train", "--data", path, "--recipe", "quick", "--epochs", "1");
        Assert.Equal(1, exit);
        Assert.Equal($"error: Expected a number in column 'length', as its other 149 values are. Received: '1.2.3' at {path} line 101; " +
            "fix or empty the cell, or read the column as categories (--categorical length).\n", error);

        (exit, _, error) = Run("train", "--data", path, "--recipe", "quick", "--epochs", "1", "--categorical", "length");
        Assert.Equal(0, exit);
        Assert.Contains("note: column 'length': ", error);
    }

    [Fact]
    public void A_date_as_the_default_target_is_one_line_that_names_the_target_option()
    {
        // airquality with its Date last: 153 classes of one row each trained to an out-of-fold accuracy of 0, unsaid.
        string path = Files.Write("air.csv", "Ozone,Temp,Date\n" + string.Concat(Enumerable.Range(0, 40).Select(r => $"{20 + r % 7},{60 + r % 11},1973-05-{r + 1:D2}\n")));
        var (exit, _, error) = Run("train", "--data", path, "--recipe", "quick", "--epochs", "1");
        Assert.Equal(1, exit);
        Assert.Equal($"error: Expected a target column with several rows per class. Received: 'Date', as many classes as rows (40, each value once) in {path}; " +
            "choose the column to predict (--target NAME).\n", error);
    }

    [Fact]
    public void A_constant_column_is_dropped_in_training_and_ignored_by_predict_and_export()
    {
        string train = Files.Write("const.csv", "x,const,kind\n" + string.Concat(Enumerable.Range(0, 40).Select(r => $"{r % 10},5,{(r % 10 < 5 ? "lo" : "hi")}\n")));
        string model = Path.Combine(Files.Directory, "const.safetensors");
        var (exit, _, error) = Run("train", "--data", train, "--recipe", "quick", "--epochs", "1", "--save", model);
        Assert.True(exit == 0, error);
        Assert.Contains("note: dropped column 'const': the same value (5) in every row; to use it as a feature: --keep\n", error);

        // In new data the column varies, or is text: not an input of the model, so not read.
        string fresh = Files.Write("new.csv", "x,const\n1,7\n8,not a number\n");
        (exit, string output, error) = Run("predict", "--model", model, "--data", fresh);
        Assert.True(exit == 0, error);
        Assert.Equal(3, output.TrimEnd('\n').Split('\n').Length);

        (exit, output, error) = Run("export", "--model", model, "--onnx", Path.Combine(Files.Directory, "const.onnx"));
        Assert.True(exit == 0, error);

        (exit, _, error) = Run("train", "--data", train, "--recipe", "quick", "--epochs", "1", "--keep", "const");
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("'const'", error);
    }

    [Fact]
    public void Many_imputed_columns_are_one_note_in_train_and_predict()
    {
        // 12 columns, each missing a cell somewhere (the fertility data's years).
        string Years(string name) => Files.Write(name, string.Join(',', Enumerable.Range(1960, 12)) + ",y\n" + string.Concat(Enumerable.Range(0, 30).Select(r =>
            string.Join(',', Enumerable.Range(0, 12).Select(c => r == c ? "" : $"{(r * (c + 3)) % 17}")) + $",{(r % 2 == 0 ? "a" : "b")}\n")));
        string model = Path.Combine(Files.Directory, "years.safetensors");
        var (exit, _, error) = Run("train", "--data", Years("train.csv"), "--recipe", "quick", "--epochs", "1", "--save", model);
        Assert.True(exit == 0, error);
        Assert.Single(error.Split('\n'), line => line.StartsWith("note: imputed", StringComparison.Ordinal));
        Assert.Contains("note: imputed 12 missing values in 12 columns ('1960': 1, '1961': 1, '1962': 1, '1963': 1, '1964': 1 and 7 more), each with its mean\n", error);

        (exit, _, error) = Run("predict", "--model", model, "--data", Years("new.csv"));
        Assert.True(exit == 0, error);
        Assert.Equal("note: imputed 12 missing values in 12 columns ('1960': 1, '1961': 1, '1962': 1, '1963': 1, '1964': 1 and 7 more), each with its mean in the training data\n", error);
    }

    [Fact]
    public void Date_order_reads_dates_their_values_do_not_tell_and_names_itself_where_a_value_contradicts_it()
    {
        // Visits written day first on days up to the 12th, but for one on the 13th of March.
        var text = new StringBuilder("visit,amount,returned\n");
        for (int i = 0; i < 80; i++)
        {
            var date = i == 40 ? new DateTime(2023, 3, 13) : new DateTime(2023, 1 + i % 12, 1 + i * 5 % 12);
            text.Append(CultureInfo.InvariantCulture, $"{date:dd/MM/yyyy},{i % 13},{(date.Month > 6 ? "yes" : "no")}\n");
        }
        string data = Files.Write("visits.csv", text.ToString());
        var (exit, _, error) = Run("train", "--data", data, "--date-order", "day-first", "--epochs", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("note: column 'visit': dates, the day first (--date-order day-first), as days since 1970-01-01", error);

        (exit, _, error) = Run("train", "--data", data, "--date-order", "month-first", "--epochs", "2");
        Assert.Equal(1, exit);
        Assert.Equal($"error: Expected dates with the month first in column 'visit' (--date-order month-first). Received: '13/03/2023' at {data} line 42, " +
            "a date only with the day first; leave out --date-order to let each column's dates tell their order.\n", error);
    }
}

