using Backprop.Data;
using Backprop.Estimators;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Serialization.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.Estimators;

/// <summary>
/// The piecewise-linear encoding of numeric columns (<see cref="TabularTrainingOptions.PiecewiseLinearBins"/>) end to end:
/// its edges and inputs, saved and fixed on resume, explained by column, and computed the same by ONNX Runtime.
/// </summary>
public sealed class PiecewiseLinearEncodingTests : TempFileTest
{
    private string PathOf(string name) => Path.Combine(Files.Directory, name);

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"input {i}: {expected[i]} against {actual[i]}");
    }

    [Fact]
    public void The_edges_are_quantiles_of_the_training_values_and_each_bin_a_clipped_position()
    {
        // x = 0, 1, …, 8 (and one missing row, imputed with the mean 4); c takes two values (too few distinct quantiles for bins).
        // Each row's first five inputs are x's: its scaled value and its 4 bins.
        string path = Files.Write("d.csv", "x,c,y\n" + string.Join("\n", Enumerable.Range(0, 9).Select(i => $"{i},{i % 2},{(i > 4 ? "a" : "b")}")) + "\n,1,a\n");
        Table table = Table.Read(path);
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table, new TabularOptions(Target: "y", PiecewiseLinearBins: 4));
        FeatureColumnState x = preprocessor.State.Features[0], c = preprocessor.State.Features[1];
        Assert.Equal([0.0, 2, 4, 6, 8], x.Edges!);
        Assert.Null(c.Edges);
        Assert.Equal(["x", "x (bin 1 of 4)", "x (bin 2 of 4)", "x (bin 3 of 4)", "x (bin 4 of 4)", "c"], preprocessor.FeatureNames);

        var inputs = preprocessor.TransformFeatures<double>(table);
        double Scaled(double v) => (v - x.Mean) / x.Scale;
        // 3: all of bin 1, half of bin 2, nothing of bins 3 and 4.
        Close([Scaled(3), 1, 0.5, 0, 0], inputs.Row(3)[..5].ToArray());
        // 0: the first bin's lower edge.
        Close([Scaled(0), 0, 0, 0, 0], inputs.Row(0)[..5].ToArray());
        // The missing cell is the mean 4 before it is encoded: bins 1 and 2 full.
        Close([Scaled(4), 1, 1, 0, 0], inputs.Row(9)[..5].ToArray());

        // Outside the training range the first bin goes on below and the last above, so the network can still extrapolate.
        string outside = Files.Write("o.csv", "x,c,y\n-2,0,a\n11,1,b\n");
        var far = preprocessor.TransformFeatures<double>(Table.Read(outside, preprocessor.ReadOptions()));
        Close([Scaled(-2), -1, 0, 0, 0], far.Row(0)[..5].ToArray());
        Close([Scaled(11), 1, 1, 1, 2.5], far.Row(1)[..5].ToArray());

        // One value's inputs, as partial dependence sets them, are the transform's.
        var one = new double[x.Width];
        preprocessor.EncodeNumber<double>(x, 3, one);
        Assert.Equal(inputs.Row(3)[..5].ToArray(), one);
    }

    [Theory]
    // Every earlier version wrote no bins key (or, late in version 5, the bins it trained with): none unless the entry says so.
    [InlineData("""{"version":1,"dataset":"wine","hidden":[8]}""", 0)]
    [InlineData("""{"version":4,"dataset":"wine","hidden":[8]}""", 0)]
    [InlineData("""{"version":5,"dataset":"wine","hidden":[8]}""", 0)]
    [InlineData("""{"version":5,"dataset":"wine","hidden":[8],"piecewise_linear_bins":6}""", 6)]
    [InlineData("""{"version":6,"dataset":"wine","hidden":[8]}""", 8)]
    [InlineData("""{"version":6,"dataset":"wine","hidden":[8],"piecewise_linear_bins":0}""", 0)]
    public void A_file_from_before_the_default_bins_resumes_without_them(string entry, int bins) =>
        Assert.Equal(bins, TrainingEntries.ParseOptions(entry, "old.safetensors").Options.PiecewiseLinearBins);

    [Fact]
    public void A_column_whose_bins_a_double_cannot_measure_keeps_its_one_input()
    {
        // Two values at −1.7e308 and six from 1.70e308 up: in 3 bins the first runs from −1.7e308 to about 1.7e308, wider than the
        // largest double, and every position in it would be NaN.
        double[] xs = [-1.7e308, -1.7e308, 1.70e308, 1.71e308, 1.72e308, 1.73e308, 1.74e308, 1.75e308];
        string path = Files.Write("huge.csv", "x,y\n" + string.Join("\n", xs.Select((x, i) => $"{x:R},{i % 2}")) + "\n");
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(Table.Read(path), new TabularOptions(PiecewiseLinearBins: 3));
        Assert.Null(preprocessor.State.Features[0].Edges);

        // A quantile between −0.9e308 and 0.9e308, whose difference overflows, is still found: a quarter of the way, 0.45e308.
        double[] wide = [-0.9e308, -0.9e308, 0.90e308, 0.91e308, 0.92e308, 0.93e308, 0.94e308, 0.95e308];
        string widePath = Files.Write("wide.csv", "x,y\n" + string.Join("\n", wide.Select((x, i) => $"{x:R},{i % 2}")) + "\n");
        double[] edges = TabularPreprocessor.Fit(Table.Read(widePath), new TabularOptions(PiecewiseLinearBins: 4)).State.Features[0].Edges!;
        Assert.Equal(5, edges.Length);
        Assert.Equal(0.45e308, edges[1], 1e-12 * double.MaxValue);
        Assert.All(preprocessor.TransformFeatures<double>(Table.Read(path)).Data, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Bins_asked_for_a_table_without_a_column_to_bin_are_named_in_a_warning()
    {
        // A category and a flag: nothing with 3 distinct quantiles.
        string path = Files.Write("flags.csv", "colour,flag,y\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{(i % 3 == 0 ? "red" : "blue")},{i % 2},{(i % 5 == 0 ? "a" : "b")}")) + "\n");
        var notes = new List<TrainingNote>();
        var trainer = new TabularTrainer<double>(new TabularTrainingOptions { Data = path, HiddenLayers = [4], Epochs = 1, PiecewiseLinearBins = 4 }) { Notes = notes.Add };
        Assert.Equal(3, trainer.Fit().Model.Network.InputFeatures);
        Assert.Contains(notes, n => n.IsWarning && n.Template.StartsWith("{PiecewiseLinearBins} 4 is unused", StringComparison.Ordinal));
        // The network's note does not describe bins that no column got.
        Assert.Contains(notes, n => n.Template.StartsWith("network 3 inputs →", StringComparison.Ordinal));
        Assert.DoesNotContain(notes, n => n.Template.Contains("piecewise-linear", StringComparison.Ordinal));

        // The default's bins on the same table: nothing was asked for, so only a note says none were made.
        notes.Clear();
        new TabularTrainer<double>(new TabularTrainingOptions { Data = path, HiddenLayers = [4], Epochs = 1 }) { Notes = notes.Add }.Fit();
        Assert.DoesNotContain(notes, n => n.IsWarning);
        Assert.Contains(notes, n => n.Template.StartsWith("no piecewise-linear inputs: no numeric column has 3", StringComparison.Ordinal));

        // A table of categories alone has no number to bin: nothing to say.
        string categories = Files.Write("categories.csv", "colour,y\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{(i % 3 == 0 ? "red" : "blue")},{(i % 5 == 0 ? "a" : "b")}")) + "\n");
        notes.Clear();
        new TabularTrainer<double>(new TabularTrainingOptions { Data = categories, HiddenLayers = [4], Epochs = 1 }) { Notes = notes.Add }.Fit();
        Assert.DoesNotContain(notes, n => n.Template.Contains("piecewise-linear", StringComparison.Ordinal));
    }

    [Fact]
    public void A_table_with_fewer_than_two_rows_per_bin_input_takes_its_numbers_alone()
    {
        // Three columns of distinct numbers: 8 bins each are 24 inputs, so 48 training rows are the fewest that keep them. A row
        // without a target, which nothing trains on, does not count.
        var random = new Random(7);
        string TableOf(int rows) => Files.Write($"t{rows}.csv", "a,b,c,y\n" + string.Join("\n", Enumerable.Range(0, rows).Select(i =>
            $"{random.NextDouble():R},{random.NextDouble() * 100:R},{-random.NextDouble():R},{(i % 3 == 0 ? "p" : "q")}")) + "\n0.5,50,-0.5,\n");
        string small = TableOf(47), enough = TableOf(48), split = TableOf(60);
        var notes = new List<TrainingNote>();
        TabularTrainingResult<double> Fit(TabularTrainingOptions options)
        {
            notes.Clear();
            return new TabularTrainer<double>(options with { HiddenLayers = [4], Epochs = 1 }) { Notes = notes.Add }.Fit();
        }

        TabularTrainingResult<double> alone = Fit(new() { Data = small, SavePath = PathOf("small.safetensors") });
        Assert.Equal(3, alone.Model.Network.InputFeatures);
        Assert.All(alone.Model.Preprocessor.State.Features, f => Assert.Null(f.Edges));
        TrainingNote said = Assert.Single(notes, n => n.Template.StartsWith("no piecewise-linear inputs", StringComparison.Ordinal));
        Assert.Equal("no piecewise-linear inputs: the bins would add 24 inputs for 47 training rows, fewer than 2 rows each " +
            "({PiecewiseLinearRowsPerInput} 0 to put the numbers in bins anyway)", said.Template);
        Assert.False(said.IsWarning); // the default's choice, not a request refused
        Assert.Contains(notes, n => n.Template.StartsWith("network 3 inputs →", StringComparison.Ordinal));

        Assert.Equal(27, Fit(new() { Data = enough }).Model.Network.InputFeatures);
        Assert.DoesNotContain(notes, n => n.Template.Contains("piecewise-linear inputs", StringComparison.Ordinal));
        Assert.Equal(27, Fit(new() { Data = small, PiecewiseLinearRowsPerInput = 0 }).Model.Network.InputFeatures);
        // A stricter rule asked for is applied as asked: a note, not a warning.
        Assert.Equal(3, Fit(new() { Data = enough, PiecewiseLinearRowsPerInput = 3 }).Model.Network.InputFeatures);
        Assert.Contains(notes, n => !n.IsWarning && n.Template.StartsWith("no piecewise-linear inputs: the bins would add 24 inputs for 48 training rows, fewer than 3 rows each", StringComparison.Ordinal));
        // 4 bins are 12 inputs, which 47 rows can carry.
        Assert.Equal(15, Fit(new() { Data = small, PiecewiseLinearBins = 4 }).Model.Network.InputFeatures);
        // Bins asked for and not made are a warning.
        Assert.Equal(3, Fit(new() { Data = small, PiecewiseLinearBins = 16 }).Model.Network.InputFeatures);
        Assert.Contains(notes, n => n.IsWarning && n.Template.StartsWith("no piecewise-linear inputs: the bins would add 48 inputs for 47 training rows", StringComparison.Ordinal));
        // The rows are those the network trains on: 60 less a validation quarter are 45.
        Assert.Equal(3, Fit(new() { Data = split, ValidationFraction = 0.25, CrossFit = false, Members = 1, Calibrate = false }).Model.Network.InputFeatures);
        Assert.Contains(notes, n => n.Template.Contains("24 inputs for 45 training rows", StringComparison.Ordinal));

        // The choice is the preprocessing's, saved with it: a resumed run keeps it and cannot change the rule.
        Assert.Equal("PiecewiseLinearRowsPerInput", Assert.Throws<OptionException>(() =>
            TabularTrainer<double>.Resume(PathOf("small.safetensors"), o => o with { PiecewiseLinearRowsPerInput = 0 })).Option);
        TabularTrainingResult<double> resumed = TabularTrainer<double>.Resume(PathOf("small.safetensors"), o => o with { Epochs = 2, SavePath = null }).Fit();
        Assert.Equal(3, resumed.Model.Network.InputFeatures);
    }

    [Fact]
    public void The_model_file_keeps_the_encoding_and_a_resumed_run_cannot_change_it()
    {
        var options = new TabularTrainingOptions { Dataset = "wine", HiddenLayers = [8], Epochs = 3, Members = 2, PiecewiseLinearBins = 5, SavePath = PathOf("m.safetensors") };
        TabularTrainingResult<double> result = new TabularTrainer<double>(options).Fit();
        Assert.Equal(13 * 6, result.Model.Network.InputFeatures);
        TabularModel<double> loaded = TabularModel<double>.Load(PathOf("m.safetensors"));
        Assert.Equal(result.Model.Preprocessor.State.ToJson(), loaded.Preprocessor.State.ToJson());
        Assert.All(loaded.Preprocessor.State.Features, f => Assert.Equal(6, f.Edges!.Length));
        var rows = loaded.Preprocessor.TransformFeatures<double>(EmbeddedDatasets.ReadTable("wine"));
        Assert.Equal(result.Model.PredictProbabilities(rows).Data, loaded.PredictProbabilities(rows).Data);

        Assert.Equal("PiecewiseLinearBins", Assert.Throws<OptionException>(() =>
            TabularTrainer<double>.Resume(PathOf("m.safetensors"), o => o with { PiecewiseLinearBins = 8 })).Option);
        TabularTrainingResult<double> resumed = TabularTrainer<double>.Resume(PathOf("m.safetensors"), o => o with { Epochs = 4, SavePath = null }).Fit();
        Assert.Equal(3, resumed.InitialEpoch);
        Assert.Equal(13 * 6, resumed.Model.Network.InputFeatures);
    }

    [Fact]
    public void Explanations_and_dependence_are_by_column()
    {
        TabularModel<double> model = new TabularTrainer<double>(new TabularTrainingOptions { Dataset = "wine", HiddenLayers = [8], Epochs = 3, Members = 2, PiecewiseLinearBins = 4 }).Fit().Model;
        var rows = model.Preprocessor.TransformFeatures<double>(EmbeddedDatasets.ReadTable("wine"));
        DependenceCurve curve = PartialDependence.Compute(model, rows, "proline", points: 5);
        Assert.Equal(5, curve.Average.Count);
        // The curve's first point is the prediction with every row's proline set to it: the transform of that value.
        var moved = new Backprop.Tensors.Matrix<double>(rows.Rows, rows.Columns);
        rows.Data.CopyTo(moved.Data, 0);
        FeatureColumnState proline = model.Preprocessor.State.Features.Single(f => f.Name == "proline");
        int offset = model.Preprocessor.State.Features.TakeWhile(f => f != proline).Sum(f => f.Width);
        var encoded = new double[proline.Width];
        model.Preprocessor.EncodeNumber<double>(proline, curve.Values[0], encoded);
        for (int r = 0; r < moved.Rows; r++) encoded.CopyTo(moved.Row(r).Slice(offset, encoded.Length));
        int explained = model.ClassLabels!.ToList().IndexOf(curve.Explained[2..^1]);
        var probabilities = model.PredictProbabilities(moved);
        double mean = Enumerable.Range(0, moved.Rows).Average(r => probabilities[r, explained]);
        Assert.Equal(mean, curve.Average[0], 9);
    }

    [Fact]
    public void OnnxRuntime_computes_the_encoding_of_an_all_numeric_table_as_Backprop_does()
    {
        // Every column numeric, each repeated for its bins: the graph's one Gather of the features.
        var options = new TabularTrainingOptions { Dataset = "wine", HiddenLayers = [12], Epochs = 5, Members = 2, PiecewiseLinearBins = 7, LearningRate = 0.01 };
        TabularModel<float> model = new TabularTrainer<float>(options).Fit().Model;
        Table table = EmbeddedDatasets.ReadTable("wine");
        string[] names = [.. model.Preprocessor.State.Features.Select(f => f.Name)];
        float[] features = new float[table.RowCount * names.Length];
        for (int r = 0; r < table.RowCount; r++)
        {
            for (int c = 0; c < names.Length; c++) features[r * names.Length + c] = (float)table.Find(names[c])!.GetNumber(r);
        }
        byte[] onnx = OnnxExporter.ToBytes(model.Network, model.OnnxOptions());
        using var session = new InferenceSession(onnx);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(features, [table.RowCount, names.Length]))]);
        float[] actual = results.First(v => v.Name == "probabilities").AsEnumerable<float>().ToArray();
        float[] expected = model.PredictProbabilities(table).Data;
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-5, $"largest difference {worst}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnnxRuntime_computes_the_encoding_as_Backprop_does(bool classifier)
    {
        // Messy: missing x (imputed, then encoded) and one x 40 standard deviations out (past the last edge).
        var table = new OnnxParity(PathOf("t.csv"), rows: 120, messy: true, threeClasses: true);
        var options = new TabularTrainingOptions
        {
            Data = table.Path, HiddenLayers = [12], Epochs = 5, PiecewiseLinearBins = 6, Members = 2, LearningRate = 0.01,
            Target = classifier ? "label" : "amount", Drop = [classifier ? "amount" : "label"],
        };
        TabularModel<float> model = new TabularTrainer<float>(options).Fit().Model;
        Assert.Equal(2 * 7 + 3, model.Network.InputFeatures); // x and z with 6 bins each, size one-hot
        double worst = table.WorstDifference(model);
        Assert.True(worst < 1e-5, $"largest relative difference {worst}");
        double robust = table.WorstDifference(new TabularTrainer<float>(options with { Scaling = NumericScaling.Robust }).Fit().Model);
        Assert.True(robust < 1e-5, $"largest relative difference with robust scaling {robust}");
    }
}
