using System.Globalization;
using System.Text;
using System.Text.Json;
using Backprop.Data;
using Backprop.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.Cli;

/// <summary>train --save, then info, evaluate, predict and export on the saved file, end to end.</summary>
public sealed class ModelCommandsTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    // Weight and colour tell cats from dogs; a categorical column, missing cells and an id column to drop.
    private string Pets(int rows, int seed, bool withTarget = true)
    {
        var random = new Random(seed);
        var text = new StringBuilder(withTarget ? "id,weight,color,age,kind\n" : "id,weight,color,age\n");
        for (int i = 0; i < rows; i++)
        {
            bool dog = random.Next(2) == 0;
            string weight = i % 13 == 7 ? "" : (dog ? 18 + random.NextDouble() * 12 : 3 + random.NextDouble() * 4).ToString("F2", CultureInfo.InvariantCulture);
            string color = dog ? (random.Next(2) == 0 ? "brown" : "black") : (random.Next(2) == 0 ? "grey" : "white");
            string age = (1 + random.NextDouble() * 12).ToString("F1", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"pet{seed}_{i},{weight},{color},{age}");
            text.Append(withTarget ? (dog ? ",dog\n" : ",cat\n") : "\n");
        }
        return _files.Write($"pets{seed}{(withTarget ? "" : "-unlabelled")}.csv", text.ToString());
    }

    private string Train(params string[] extra)
    {
        string model = Path.Combine(_files.Directory, "pets.safetensors");
        var (code, output, error) = CliRunner.Run(["train", "--data", Pets(120, 1), "--epochs", "30", "--save", model, .. extra]);
        Assert.True(code == 0, error);
        Assert.Contains($"Saved model to {model}", output);
        return model;
    }

    [Fact]
    public void Evaluate_reports_every_metric_as_json()
    {
        string model = Train();
        var (code, output, error) = CliRunner.Run("evaluate", "--model", model, "--data", Pets(80, 2), "--json");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("classification", root.GetProperty("task").GetString());
        Assert.Equal(["cat", "dog"], root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("accuracy").GetDouble() > 0.9);
        foreach (string key in new[] { "balanced_accuracy", "f1_macro", "log_loss" }) Assert.Equal(JsonValueKind.Number, root.GetProperty(key).ValueKind);
        int total = root.GetProperty("confusion_matrix").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32());
        Assert.Equal(80, total);
    }

    [Fact]
    public void Evaluate_prints_tables_and_draws_the_confusion_matrix()
    {
        string model = Train();
        string plot = Path.Combine(_files.Directory, "confusion.png");
        var (code, output, error) = CliRunner.Run("evaluate", "--model", model, "--data", Pets(50, 7), "--plot", plot);
        Assert.True(code == 0, error);
        Assert.Contains("confusion matrix (rows: actual, columns: predicted)", output);
        Assert.Matches(@"  cat\s+[01]\.\d{4}\s+[01]\.\d{4}\s+[01]\.\d{4}\s+\d+", output);
        Assert.True(new FileInfo(plot).Length > 10_000);
    }

    [Fact]
    public void Evaluate_quiet_prints_the_main_metric_alone_as_json_has_it()
    {
        string model = Train();
        string data = Pets(80, 2);
        var (code, output, error) = CliRunner.Run("evaluate", "--model", model, "--data", data, "--quiet");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(CliRunner.Run("evaluate", "--model", model, "--data", data, "--json").Output);
        Assert.Equal($"Accuracy: {json.RootElement.GetProperty("accuracy").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)}\n", output);
    }

    [Fact]
    public void Predict_gives_exactly_the_in_process_probabilities()
    {
        string model = Train();
        string unlabelled = Pets(40, 3, withTarget: false);
        string outPath = Path.Combine(_files.Directory, "predictions.csv");
        var (code, _, error) = CliRunner.Run("predict", "--model", model, "--data", unlabelled, "--proba", "--out", outPath);
        Assert.True(code == 0, error);
        string[] lines = File.ReadAllLines(outPath);
        Assert.Equal("row,label,cat,dog", lines[0]);
        Assert.Equal(41, lines.Length);

        TabularModel<float> loaded = TabularModel<float>.Load(model);
        var expected = loaded.PredictProbabilities(Table.Read(unlabelled, loaded.Preprocessor.ReadOptions()));
        for (int r = 0; r < 40; r++)
        {
            string[] cells = lines[r + 1].Split(',');
            Assert.Equal((r + 1).ToString(CultureInfo.InvariantCulture), cells[0]);
            // Shortest round-trip text: parsing gives back the very same float.
            float cat = float.Parse(cells[2], CultureInfo.InvariantCulture), dog = float.Parse(cells[3], CultureInfo.InvariantCulture);
            Assert.Equal(expected[r, 0], cat);
            Assert.Equal(expected[r, 1], dog);
            Assert.Equal(cat > dog ? "cat" : "dog", cells[1]);
        }
    }

    [Fact]
    public void Predict_set_adds_the_conformal_sets_of_the_library_and_evaluate_the_calibration_error()
    {
        string model = Train();
        string unlabelled = Pets(40, 3, withTarget: false);
        var (code, output, error) = CliRunner.Run("predict", "--model", model, "--data", unlabelled, "--set", "0.9");
        Assert.True(code == 0, error);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("row,label,set", lines[0]);
        TabularModel<float> loaded = TabularModel<float>.Load(model);
        bool[,] sets = loaded.PredictSets(loaded.Preprocessor.TransformFeatures<float>(Table.Read(unlabelled, loaded.Preprocessor.ReadOptions())), 0.9);
        for (int r = 0; r < 40; r++)
        {
            string[] cells = lines[r + 1].Split(',');
            string expected = string.Join('|', new[] { "cat", "dog" }.Where((_, c) => sets[r, c]));
            Assert.Equal(expected, cells[2]);
            Assert.Contains(cells[1], cells[2].Split('|'));
        }

        var (evaluated, json, _) = CliRunner.Run("evaluate", "--model", model, "--data", Pets(80, 2), "--json");
        Assert.Equal(0, evaluated);
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.InRange(document.RootElement.GetProperty("ece").GetDouble(), 0, 1);
        Assert.Equal(80, document.RootElement.GetProperty("reliability").EnumerateArray().Sum(b => b.GetProperty("count").GetInt32()));
        var (_, text, _) = CliRunner.Run("evaluate", "--model", model, "--data", Pets(80, 2));
        Assert.Contains("  calibration (ECE)  0.", text);
    }

    [Fact]
    public void Predict_interval_adds_lower_and_upper_bounds_around_the_prediction()
    {
        string model = Path.Combine(_files.Directory, "age.safetensors");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", Pets(120, 1), "--target", "age", "--drop", "kind", "--epochs", "20", "--save", model);
        Assert.True(trained == 0, trainError);
        string outPath = Path.Combine(_files.Directory, "intervals.csv");
        var (code, output, error) = CliRunner.Run("predict", "--model", model, "--data", Pets(30, 3), "--interval", "0.8", "--out", outPath, "--json");
        Assert.True(code == 0, error);
        string[] lines = File.ReadAllLines(outPath);
        Assert.Equal("row,prediction,lower,upper", lines[0]);
        foreach (string line in lines.Skip(1))
        {
            double[] v = [.. line.Split(',').Skip(1).Select(c => double.Parse(c, CultureInfo.InvariantCulture))];
            Assert.True(v[1] < v[0] && v[0] < v[2], line);
        }
        using JsonDocument document = JsonDocument.Parse(output);
        Assert.Equal(0.8, document.RootElement.GetProperty("interval_coverage").GetDouble());
        Assert.True(document.RootElement.GetProperty("interval_width").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--set", "0.9", "--set: expected a classification model")]
    [InlineData("--interval", "1", "--interval: expected a number from 0.5 to below 1, for example 0.9. Received: '1'.")]
    [InlineData("--interval", "0.3", "--interval: expected a number from 0.5 to below 1, for example 0.9. Received: '0.3'.")]
    [InlineData("--set", "0", "--set: expected a number between 0 and 1, for example 0.9. Received: '0'.")]
    public void Predict_interval_and_set_say_what_they_need_in_one_line(string flag, string value, string message)
    {
        string model = Path.Combine(_files.Directory, "age.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--data", Pets(60, 1), "--target", "age", "--drop", "kind", "--epochs", "3", "--save", model).ExitCode);
        var (code, _, error) = CliRunner.Run("predict", "--model", model, "--data", Pets(5, 3), flag, value);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {message}", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Predict_set_on_a_model_that_held_no_rows_out_says_how_to_train_one()
    {
        string model = Train("--recipe", "plain");
        var (code, _, error) = CliRunner.Run("predict", "--model", model, "--data", Pets(5, 3, withTarget: false), "--set", "0.9");
        Assert.Equal(2, code);
        Assert.Contains("--set: expected a model that kept the rows it held out in training", error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Predict_without_out_or_to_dash_writes_csv_to_stdout(bool dash)
    {
        string model = Train();
        string[] args = ["predict", "--model", model, "--data", Pets(5, 4, withTarget: false), .. dash ? new[] { "--out", "-" } : []];
        var (code, output, _) = CliRunner.Run(args);
        Assert.Equal(0, code);
        Assert.False(File.Exists("-"));
        Assert.StartsWith("row,label\n", output);
        Assert.Equal(["row", "1", "2", "3", "4", "5"], output.TrimEnd('\n').Split('\n').Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void Info_describes_architecture_inputs_outputs_and_training()
    {
        string model = Train("--hidden", "8,4");
        var (code, output, _) = CliRunner.Run("info", "--model", model, "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        // The default: an ensemble of 5 members, their first layers side by side, the later ones grouped.
        Assert.Equal(["Dense", "Relu", "GroupedDense", "Relu", "GroupedDense"], root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(5, root.GetProperty("members").GetInt32());
        // inputs: weight, color (4 categories), age; the id column is dropped as an identifier.
        Assert.Equal(["weight", "color", "age"], root.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        // 22 inputs: weight and age each a value and 8 bins, color 4 one-hot.
        Assert.Equal(5 * (22 * 8 + 8 + 8 * 4 + 4 + 4 * 2 + 2), root.GetProperty("parameters").GetInt32());
        Assert.Equal(30, root.GetProperty("history").GetProperty("epochs").GetInt32());
        Assert.Equal(30, root.GetProperty("training").GetProperty("epochs").GetInt32());
        var (textCode, text, _) = CliRunner.Run("info", "--model", model);
        Assert.Equal(0, textCode);
        Assert.Contains("categorical  4 categories (black, brown, grey, white)", text);
        Assert.Contains("Outputs      cat, dog", text);
        Assert.Contains("An ensemble of 5 networks trained as one: each has 2 of the last layer's 10 outputs, and a prediction averages theirs.", text);
        // Calibrated out of fold: the temperature and the 120 rows' scores kept, said in both forms.
        double temperature = root.GetProperty("temperature").GetDouble();
        Assert.Equal(TabularModel<float>.Load(model).Temperature, temperature);
        Assert.NotEqual(1, temperature);
        Assert.Equal(120, root.GetProperty("conformal_rows").GetInt32());
        Assert.Contains("Calibrated: the logits are divided by a temperature of ", text);
        Assert.Contains("Keeps the errors of 120 held-out rows for conformal prediction (predict --set 0.9).", text);
    }

    [Fact]
    public void Exported_onnx_agrees_with_backprop_in_onnx_runtime()
    {
        string model = Train();
        string onnxPath = Path.Combine(_files.Directory, "pets.onnx");
        var (code, output, error) = CliRunner.Run("export", "--model", model, "--onnx", onnxPath);
        Assert.True(code == 0, error);
        Assert.Contains("Wrote", output);
        // --out, as the other commands call the file they write, is the same file.
        string again = Path.Combine(_files.Directory, "pets-out.onnx");
        (code, _, error) = CliRunner.Run("export", "--model", model, "--out", again);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(onnxPath), File.ReadAllBytes(again));

        string labelled = Pets(30, 5);
        TabularModel<float> loaded = TabularModel<float>.Load(model);
        Table table = Table.Read(labelled, loaded.Preprocessor.ReadOptions());
        var expected = loaded.PredictProbabilities(table);

        // Raw inputs: numeric columns in 'features' (NaN where missing), the categorical column as strings.
        var numeric = new DenseTensor<float>([30, 2]);
        var colors = new DenseTensor<string>([30, 1]);
        TableColumn weight = table.Find("weight")!, age = table.Find("age")!, color = table.Find("color")!;
        for (int r = 0; r < 30; r++)
        {
            numeric[r, 0] = weight.IsMissing(r) ? float.NaN : (float)weight.GetNumber(r);
            numeric[r, 1] = (float)age.GetNumber(r);
            colors[r, 0] = color.GetText(r)!;
        }
        using var session = new InferenceSession(onnxPath);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("features", numeric), NamedOnnxValue.CreateFromTensor("color", colors)]);
        float[] probabilities = results.Single(r => r.Name == "probabilities").AsEnumerable<float>().ToArray();
        double worst = 0;
        for (int i = 0; i < probabilities.Length; i++) worst = Math.Max(worst, Math.Abs(probabilities[i] - expected.Data[i]));
        Assert.True(worst <= 1e-5, $"max |ONNX − Backprop| = {worst}");
    }

    [Fact]
    public void Regression_round_trip_unscales_predictions()
    {
        var text = new StringBuilder("a,b,price\n");
        var random = new Random(9);
        for (int i = 0; i < 200; i++)
        {
            double a = random.NextDouble() * 4, b = random.NextDouble() * 4;
            text.Append(CultureInfo.InvariantCulture, $"{a:F3},{b:F3},{1000 + 300 * a - 200 * b * b:F1}\n");
        }
        string data = _files.Write("prices.csv", text.ToString());
        string model = Path.Combine(_files.Directory, "prices.safetensors");
        var (code, output, error) = CliRunner.Run("train", "--data", data, "--epochs", "60", "--batch-size", "8", "--optimizer", "adam", "--lr", "0.01",
            "--hidden", "32", "--save", model);
        Assert.True(code == 0, error);
        var (evalCode, json, _) = CliRunner.Run("evaluate", "--model", model, "--data", data, "--json");
        Assert.Equal(0, evalCode);
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal("regression", document.RootElement.GetProperty("task").GetString());
        Assert.True(document.RootElement.GetProperty("r2").GetDouble() > 0.95, json);
        // MAE in the target's units (prices around 1000), not in standardized units.
        Assert.InRange(document.RootElement.GetProperty("mae").GetDouble(), 1, 200);
    }

    [Theory]
    [InlineData("evaluate")]
    [InlineData("predict")]
    [InlineData("info")]
    public void A_missing_or_corrupt_model_file_is_a_one_line_error(string command)
    {
        string corrupt = _files.Write("corrupt.safetensors", "this is not a model");
        string data = Pets(5, 6);
        foreach (string path in new[] { Path.Combine(_files.Directory, "absent.safetensors"), corrupt })
        {
            string[] args = command == "info" ? [command, "--model", path] : [command, "--model", path, "--data", data];
            var (code, output, error) = CliRunner.Run(args);
            Assert.Equal(1, code);
            Assert.Equal("", output);
            Assert.StartsWith("error: ", error);
            Assert.Single(error.TrimEnd('\n').Split('\n'));
        }
    }

    [Fact]
    public void Evaluate_names_a_missing_feature_column()
    {
        string model = Train();
        string data = _files.Write("nocolor.csv", "id,weight,age,kind\np1,20,3,dog\np2,4,5,cat\n");
        var (code, _, error) = CliRunner.Run("evaluate", "--model", model, "--data", data);
        Assert.Equal(1, code);
        Assert.Contains("color", error);
    }
}
