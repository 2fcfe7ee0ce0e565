using System.Globalization;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Metrics;
using Backprop.Models;
using Backprop.Tensors;

namespace Backprop.Tests.Estimators;

/// <summary>
/// Calibration end to end (<see cref="TabularTrainingOptions.Calibrate"/>): the temperature a run fits and where it applies (the
/// probabilities, the file, ONNX), and the coverage of the conformal sets and intervals on rows the run never saw.
/// </summary>
public sealed class CalibrationTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string PathOf(string name) => Path.Combine(_files.Directory, name);

    // Two informative inputs and one of noise; a class from a noisy score (so no model is sure of every row), or a value with noise.
    private string WriteCsv(string name, int rows, ulong seed, bool classes)
    {
        var rng = new Rng(seed);
        var lines = new List<string> { "a,b,noise,target" };
        for (int r = 0; r < rows; r++)
        {
            double a = rng.NextNormal(), b = rng.NextNormal(), noise = rng.NextNormal();
            double score = Math.Sin(2 * a) + b + 0.8 * rng.NextNormal();
            string target = classes
                ? (score > 0.8 ? "high" : score > -0.8 ? "middle" : "low")
                : (3 * score).ToString("R", CultureInfo.InvariantCulture);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{a:R},{b:R},{noise:R},{target}"));
        }
        string path = PathOf(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void A_run_that_holds_rows_out_fits_a_temperature_its_probabilities_use_and_its_file_keeps()
    {
        string data = WriteCsv("c.csv", 300, 1, classes: true);
        TabularTrainingResult<double> result = new TabularTrainer<double>(new TabularTrainingOptions { Data = data, Target = "target", HiddenLayers = [16] }).Fit();
        TabularModel<double> model = result.Model;
        Assert.True(result.Options.Calibrate);
        Assert.Equal(TabularTrainingOptions.DefaultLabelSmoothing, result.Options.LabelSmoothing);
        Assert.NotEqual(1, model.Temperature);
        Assert.Equal(model.Members, model.ConformalScores!.Folds.Count);
        Assert.Equal(300, model.ConformalScores.Count);

        // probabilities = softmax(averaged logits / T)
        Matrix<double> features = result.TrainingData.Features;
        Matrix<double> logits = model.PredictOutputs(features), probabilities = model.PredictProbabilities(features);
        for (int r = 0; r < 300; r += 37)
        {
            double[] e = [.. logits.Row(r).ToArray().Select(z => Math.Exp(z / model.Temperature))];
            for (int c = 0; c < 3; c++) Assert.Equal(e[c] / e.Sum(), probabilities[r, c], 1e-12);
        }

        result.Save(PathOf("c.safetensors"));
        TabularModel<double> loaded = TabularModel<double>.Load(PathOf("c.safetensors"));
        Assert.Equal(model.Temperature, loaded.Temperature);
        Assert.Equal(model.ConformalScores.Folds, loaded.ConformalScores!.Folds);
        Assert.Equal(probabilities.Data, loaded.PredictProbabilities(features).Data);
        Assert.Equal(model.PredictSets(features, 0.8), loaded.PredictSets(features, 0.8));
    }

    [Fact]
    public void A_resumed_run_calibrates_again_and_one_with_nothing_to_train_keeps_the_calibration()
    {
        string data = WriteCsv("r.csv", 200, 5, classes: true), path = PathOf("r.safetensors");
        TabularTrainingOptions options = new() { Data = data, Target = "target", HiddenLayers = [8], Members = 3, Epochs = 4, EarlyStopping = null, SavePath = path };
        TabularModel<double> whole = new TabularTrainer<double>(options).Fit().Model;
        TabularModel<double> again = TabularTrainer<double>.Resume(path).Fit().Model; // all epochs trained: nothing to train
        Assert.Equal(whole.Temperature, again.Temperature);
        Assert.Equal(whole.ConformalScores!.Folds, again.ConformalScores!.Folds);
        Assert.Equal(whole.Temperature, TabularModel<double>.Load(path).Temperature);

        // Trained in two goes, calibrated at the end as the run in one go is.
        string half = PathOf("half.safetensors");
        new TabularTrainer<double>(options with { Epochs = 2, SavePath = half }).Fit();
        TabularModel<double> resumed = TabularTrainer<double>.Resume(half, o => o with { Epochs = 4 }).Fit().Model;
        Assert.Equal(whole.Temperature, resumed.Temperature, 1e-12);
    }

    [Fact]
    public void Temperature_scaling_lowers_the_calibration_error_of_an_over_confident_network_on_new_rows()
    {
        // One wide network trained long on noisy labels, no early stopping: sure of itself beyond what it gets right.
        string train = WriteCsv("train.csv", 400, 2, classes: true), test = WriteCsv("test.csv", 3000, 3, classes: true);
        TabularTrainingOptions options = new()
        {
            Data = train, Target = "target", HiddenLayers = [48, 48], Members = 1, ValidationFraction = 0.3, Epochs = 100, EarlyStopping = null,
            LabelSmoothing = 0, LearningRate = 0.01,
        };
        TabularModel<float> calibrated = new TabularTrainer<float>(options with { Calibrate = true }).Fit().Model;
        TabularModel<float> raw = new TabularTrainer<float>(options with { Calibrate = false }).Fit().Model;
        Assert.True(calibrated.Temperature > 1.2, $"temperature {calibrated.Temperature}");
        Assert.Equal(1, raw.Temperature);
        Assert.Null(raw.ConformalScores);

        Dataset<float> rows = calibrated.Preprocessor.Transform<float>(Table.Read(test, calibrated.Preprocessor.ReadOptions()));
        int[] labels = rows.Labels();
        Matrix<float> before = raw.PredictProbabilities(rows.Features), after = calibrated.PredictProbabilities(rows.Features);
        // The same network (same seed and options): the classes are the same, the probabilities honest.
        Assert.Equal(Classification.ArgMax(before), Classification.ArgMax(after));
        double eceBefore = Calibration.ExpectedCalibrationError(labels, before), eceAfter = Calibration.ExpectedCalibrationError(labels, after);
        Assert.True(eceAfter < eceBefore / 2, $"ECE {eceBefore} -> {eceAfter}");
        Assert.True(Classification.LogLoss(labels, after) < Classification.LogLoss(labels, before));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Conformal_sets_and_intervals_cover_new_rows_as_asked(bool crossFit)
    {
        // Over several runs (seeds, so new training rows and new networks), the share of new rows whose truth is in the set or
        // interval is at least the coverage asked, up to the sampling noise of 8 × 1,000 rows (and conformal's own, 1/(n + 1)).
        const double coverage = 0.8;
        double setCovered = 0, intervalCovered = 0, setSize = 0;
        const int runs = 8, fresh = 1000;
        for (ulong seed = 0; seed < runs; seed++)
        {
            TabularTrainingOptions options = new()
            {
                Target = "target", HiddenLayers = [16], Seed = seed, Members = 3,
                CrossFit = crossFit, ValidationFraction = crossFit ? 0 : 0.3,
            };
            TabularModel<float> classifier = new TabularTrainer<float>(options with { Data = WriteCsv($"c{seed}.csv", 200, 10 + seed, classes: true) }).Fit().Model;
            Dataset<float> rows = classifier.Preprocessor.Transform<float>(Table.Read(WriteCsv($"ct{seed}.csv", fresh, 100 + seed, classes: true), classifier.Preprocessor.ReadOptions()));
            bool[,] sets = classifier.PredictSets(rows.Features, coverage);
            int[] labels = rows.Labels();
            for (int r = 0; r < fresh; r++)
            {
                setCovered += sets[r, labels[r]] ? 1 : 0;
                for (int c = 0; c < 3; c++) setSize += sets[r, c] ? 1 : 0;
            }

            TabularModel<float> regressor = new TabularTrainer<float>(options with { Data = WriteCsv($"r{seed}.csv", 200, 20 + seed, classes: false) }).Fit().Model;
            Dataset<float> values = regressor.Preprocessor.Transform<float>(Table.Read(WriteCsv($"rt{seed}.csv", fresh, 200 + seed, classes: false), regressor.Preprocessor.ReadOptions()));
            (double[] predicted, double[] lower, double[] upper) = regressor.PredictIntervals(values.Features, coverage);
            double[] truth = values.TargetValues();
            for (int r = 0; r < fresh; r++)
            {
                Assert.True(lower[r] <= predicted[r] && predicted[r] <= upper[r]);
                intervalCovered += lower[r] <= truth[r] && truth[r] <= upper[r] ? 1 : 0;
            }
        }
        double sets8 = setCovered / (runs * fresh), intervals = intervalCovered / (runs * fresh);
        Assert.InRange(sets8, coverage - 0.03, 1);
        Assert.InRange(intervals, coverage - 0.03, coverage + 0.1);
        // Not covering by giving up: a set is mostly one or two classes of three.
        Assert.InRange(setSize / (runs * fresh), 1, 2.2);
    }

    [Fact]
    public void A_cross_fitted_interval_holds_its_prediction_at_every_coverage_from_one_half()
    {
        // Far outside the training rows five members trained on different fifths disagree by more than their errors: CV+ alone
        // leaves their average outside some intervals there.
        TabularTrainingOptions options = new() { Data = WriteCsv("disagree.csv", 60, 3, classes: false), Target = "target", HiddenLayers = [8], Members = 5 };
        TabularModel<double> model = new TabularTrainer<double>(options).Fit().Model;
        Dataset<double> rows = model.Preprocessor.Transform<double>(Table.Read(WriteCsv("disagree-new.csv", 500, 4, classes: false), model.Preprocessor.ReadOptions()));
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < rows.Features.Columns; c++) rows.Features[r, c] *= 20;
        }
        foreach (double coverage in new[] { 0.5, 0.55, 0.7, 0.9 })
        {
            (double[] predicted, double[] lower, double[] upper) = model.PredictIntervals(rows.Features, coverage);
            for (int r = 0; r < predicted.Length; r++) Assert.True(lower[r] <= predicted[r] && predicted[r] <= upper[r], $"coverage {coverage}, row {r}: {predicted[r]} in [{lower[r]}, {upper[r]}]");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => model.PredictIntervals(rows.Features, 0.3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void With_label_smoothing_the_validation_loss_is_the_predictions_own_log_loss(int members)
    {
        // Smoothing is how the network trains; the epoch is judged, and the loss shown, by the log loss of what it predicts.
        TabularTrainingResult<double> result = new TabularTrainer<double>(new TabularTrainingOptions
        {
            Dataset = "wine", HiddenLayers = [8], PiecewiseLinearBins = 0, Members = members, ValidationFraction = 0.3, Epochs = 3, EarlyStopping = null, LabelSmoothing = 0.2,
            Calibrate = false,
        }).Fit();
        Dataset<double> held = result.ValidationData!;
        double logLoss = Classification.LogLoss(held.Labels(), result.Model.PredictProbabilities(held.Features));
        Assert.Equal(logLoss, result.History[^1].ValidationLoss!.Value, 1e-9);
        // The training loss is the smoothed one: higher than the plain log loss of the same rows would be for a confident model.
        Assert.NotEqual(result.History[^1].Loss, Classification.LogLoss(result.TrainingData.Labels(), result.Model.PredictProbabilities(result.TrainingData.Features)), 6);
    }

    [Fact]
    public void Calibrating_needs_rows_held_out()
    {
        var error = Assert.Throws<OptionException>(() => new TabularTrainer<float>(new TabularTrainingOptions { Members = 1, Calibrate = true }));
        Assert.Equal(nameof(TabularTrainingOptions.Calibrate), error.Option);
        // Without held-out rows nothing is calibrated, and the labels are not smoothed.
        TabularTrainingResult<float> plain = new TabularTrainer<float>(new TabularTrainingOptions { Dataset = "iris", Members = 1, Epochs = 3 }).Fit();
        Assert.False(plain.Options.Calibrate);
        Assert.Equal(0, plain.Options.LabelSmoothing);
        Assert.Null(plain.Model.ConformalScores);
        Assert.Throws<InvalidOperationException>(() => plain.Model.PredictSets(plain.TrainingData.Features, 0.9));
    }

    [Fact]
    public void OnnxRuntime_applies_the_temperature_inside_the_graph()
    {
        var table = new OnnxParity(PathOf("t.csv"), rows: 120, messy: false, threeClasses: true);
        TabularTrainingOptions options = new()
        {
            Data = table.Path, HiddenLayers = [12], Epochs = 30, Members = 1, ValidationFraction = 0.3, Target = "label", Drop = ["amount"],
        };
        TabularModel<float> model = new TabularTrainer<float>(options).Fit().Model;
        Assert.NotEqual(1, model.Temperature);
        Assert.True(table.WorstDifference(model) < 1e-5);
        TabularModel<float> ensemble = new TabularTrainer<float>(options with { Members = 3, ValidationFraction = 0 }).Fit().Model;
        Assert.NotEqual(1, ensemble.Temperature);
        Assert.True(table.WorstDifference(ensemble) < 1e-5);
    }
}
