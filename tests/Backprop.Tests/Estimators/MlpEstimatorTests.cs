using Backprop.Data;
using Backprop.Estimators;
using Backprop.Metrics;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Xunit.Abstractions;

namespace Backprop.Tests.Estimators;

public class MlpEstimatorTests(ITestOutputHelper output)
{
    /// <summary>Held-out accuracy on wine: a stratified 30 % test split per seed, the classifier seeded alike.</summary>
    // No rate given: each optimizer gets its own (SGD 0.01; at Adam's 0.001 it reached 0.79 here).
    private static double WineAccuracy(ulong seed, OptimizerKind optimizer)
    {
        Dataset<float> wine = EmbeddedDatasets.Wine<float>();
        (Dataset<float> train, Dataset<float> test) = DataSplit.Stratified(wine, 0.3, new Rng(1000 + seed));
        var classifier = new MlpClassifier<float>(new TabularTrainingOptions { Seed = seed, Optimizer = optimizer });
        classifier.Fit(train.Features, Labels(train));
        return classifier.Score(test.Features, Labels(test));
    }

    private static int[] Labels<T>(Dataset<T> data) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Enumerable.Range(0, data.Count).Select(data.Label).ToArray();

    [Fact]
    public void Wine_with_defaults_reaches_95_percent_held_out_accuracy_over_five_seeds()
    {
        double[] accuracies = Enumerable.Range(0, 5).Select(s => WineAccuracy((ulong)s, OptimizerKind.Adam)).ToArray();
        output.WriteLine($"wine held-out accuracy (Adam, defaults): {string.Join(", ", accuracies.Select(a => a.ToString("F4")))}; mean {accuracies.Average():F4}");
        Assert.True(accuracies.Average() >= 0.95, $"mean accuracy {accuracies.Average()}");
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.AdamW)]
    public void Wine_trains_well_with_the_other_optimizers(OptimizerKind optimizer)
    {
        double[] accuracies = Enumerable.Range(0, 5).Select(s => WineAccuracy((ulong)s, optimizer)).ToArray();
        output.WriteLine($"wine held-out accuracy ({optimizer}, defaults): {string.Join(", ", accuracies.Select(a => a.ToString("F4")))}; mean {accuracies.Average():F4}");
        Assert.True(accuracies.Average() >= 0.9, $"mean accuracy {accuracies.Average()}");
    }

    /// <summary>y = 1000 · (sin(2x₁) + x₂² − x₃x₄ + exp(x₅/2)) + 2000 + noise (σ = 100), x ~ N(0, 1).</summary>
    private static (Matrix<float> X, double[] Y) Synthetic(int n, Rng rng)
    {
        var x = new Matrix<float>(n, 5);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double[] v = Enumerable.Range(0, 5).Select(_ => rng.NextNormal()).ToArray();
            for (int j = 0; j < 5; j++) x[i, j] = (float)v[j];
            y[i] = 1000 * (Math.Sin(2 * v[0]) + v[1] * v[1] - v[2] * v[3] + Math.Exp(v[4] / 2)) + 2000 + 100 * rng.NextNormal();
        }
        return (x, y);
    }

    [Fact]
    public void Regression_with_targets_of_order_1000_reaches_r2_of_0_9_with_defaults()
    {
        var rng = new Rng(42);
        (Matrix<float> xTrain, double[] yTrain) = Synthetic(1500, rng);
        (Matrix<float> xTest, double[] yTest) = Synthetic(500, rng);
        var regressor = new MlpRegressor<float>().Fit(xTrain, yTrain);
        double r2 = regressor.Score(xTest, yTest);
        output.WriteLine($"synthetic regression held-out R²: {r2:F4} after {regressor.History.Count} epochs (best {regressor.BestEpoch}); " +
            $"RMSE {Regression.RootMeanSquaredError(yTest, regressor.Predict(xTest)):F1}, target std {Math.Sqrt(yTest.Select(v => (v - yTest.Average()) * (v - yTest.Average())).Average()):F1}");
        Assert.True(r2 >= 0.9, $"R² {r2}");
        Assert.InRange(regressor.TargetMean, 3800, 4500); // E[y] = 1000 · (1 + e^{1/8}) + 2000 ≈ 4133: the target really is of order 1000
    }

    /// <summary>Two overlapping 1-D Gaussians, 95 % of class 0 at −1 and 5 % of class 1 at +1 (plus a noise feature).</summary>
    private static (Matrix<double> X, int[] Y) Imbalanced(int n, Rng rng)
    {
        var x = new Matrix<double>(n, 2);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = rng.NextDouble() < 0.05 ? 1 : 0;
            x[i, 0] = (y[i] == 1 ? 1 : -1) + 1.0 * rng.NextNormal();
            x[i, 1] = rng.NextNormal();
        }
        return (x, y);
    }

    [Fact]
    public void Balanced_class_weights_change_the_decision_on_imbalanced_data()
    {
        var rng = new Rng(7);
        (Matrix<double> x, int[] y) = Imbalanced(2000, rng);
        (Matrix<double> xTest, int[] yTest) = Imbalanced(2000, rng);
        var options = new TabularTrainingOptions { HiddenLayers = [16], Epochs = 30, EarlyStopping = null, ValidationFraction = 0, Seed = 1 };
        var plain = new MlpClassifier<double>(options).Fit(x, y);
        var weighted = new MlpClassifier<double>(options with { BalancedClassWeights = true }).Fit(x, y);
        int[] plainPredictions = plain.Predict(xTest), weightedPredictions = weighted.Predict(xTest);
        double plainRecall = Classification.PerClass(yTest, plainPredictions, 2)[1].Recall;
        double weightedRecall = Classification.PerClass(yTest, weightedPredictions, 2)[1].Recall;
        output.WriteLine($"minority recall: plain {plainRecall:F3}, balanced {weightedRecall:F3}; balanced accuracy " +
            $"{Classification.BalancedAccuracy(yTest, plainPredictions, 2):F3} → {Classification.BalancedAccuracy(yTest, weightedPredictions, 2):F3}");
        // Unweighted, the rare class is almost never predicted; balanced, most of it is found.
        Assert.True(plainRecall < 0.3, $"plain recall {plainRecall}");
        Assert.True(weightedRecall > 0.6, $"weighted recall {weightedRecall}");
        // At x = 0.5 (right of the midpoint, still where class 0 dominates by count) the decisions differ.
        var probe = new Matrix<double>([0.5, 0], 1, 2);
        Assert.Equal(0, plain.Predict(probe)[0]);
        Assert.Equal(1, weighted.Predict(probe)[0]);
    }

    [Fact]
    public void Probabilities_sum_to_one_and_labels_map_back()
    {
        Dataset<double> iris = EmbeddedDatasets.Iris<double>();
        int[] labels = Labels(iris).Select(l => 10 * l + 5).ToArray(); // arbitrary label values 5, 15, 25
        var classifier = new MlpClassifier<double>(new TabularTrainingOptions { Epochs = 20 }).Fit(iris.Features, labels);
        Assert.Equal([5, 15, 25], classifier.Classes);
        Matrix<double> p = classifier.PredictProba(iris.Features);
        for (int r = 0; r < p.Rows; r++) Assert.Equal(1, p.Row(r).ToArray().Sum(), 12);
        Assert.All(classifier.Predict(iris.Features), l => Assert.Contains(l, new[] { 5, 15, 25 }));
        Assert.NotEmpty(classifier.History);
        Assert.All(classifier.History, r => Assert.NotNull(r.ValidationLoss));
    }

    [Fact]
    public void Estimator_keeps_the_best_validation_epoch()
    {
        Dataset<float> wine = EmbeddedDatasets.Wine<float>();
        var options = new TabularTrainingOptions { LearningRate = 0.02, EarlyStopping = 5, Seed = 3 };
        var classifier = new MlpClassifier<float>(options).Fit(wine.Features, Labels(wine));
        double[] validation = classifier.History.Select(r => r.ValidationLoss!.Value).ToArray();
        Assert.Equal(Array.IndexOf(validation, validation.Min()), classifier.BestEpoch);
        Assert.True(classifier.History.Count < 200, "a large learning rate should trigger early stopping");
        // 178 rows are 6 steps an epoch: the patience is 42 epochs, the 250 steps', not 5.
        Assert.Equal(42, options.PatienceEpochs(wine.Count));
        Assert.Equal(classifier.BestEpoch + 42, classifier.History.Count - 1);
    }

    [Fact]
    public void Bad_input_is_reported()
    {
        var x = new Matrix<double>(3, 2);
        Assert.Throws<BackpropException>(() => new MlpClassifier<double>().Fit(x, [0, 0, 0]));
        Assert.Throws<BackpropException>(() => new MlpClassifier<double>().Fit(x, [0, 1]));
        Assert.Throws<BackpropException>(() => new MlpRegressor<double>().Fit(x, [0, double.NaN, 1]));
        Assert.Throws<InvalidOperationException>(() => new MlpRegressor<double>().Predict(x));
        OptionException range = Assert.Throws<OptionException>(() => new MlpClassifier<double>(new TabularTrainingOptions { ValidationFraction = 1 }));
        Assert.Equal("ValidationFraction: expected a number ≥ 0 and < 1. Received: 1.", range.Message);
        OptionException task = Assert.Throws<OptionException>(() => new MlpRegressor<double>(new TabularTrainingOptions { Task = TaskKind.Classification }));
        Assert.Equal("Task", task.Option);
    }

    // The same values as a table of columns x0 … x{F−1}, what an estimator trains on.
    private static Table TableOf<T>(Matrix<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Table.FromColumns("the feature matrix", [.. Enumerable.Range(0, x.Columns).Select(c => ($"x{c}", false))], x.Rows,
            (r, c) => double.CreateChecked(x[r, c]), (_, _) => null);

    [Fact]
    public void Predictions_from_a_matrix_are_those_of_the_same_numbers_in_a_table_to_the_bit()
    {
        var (x, y) = Synthetic(300, new Rng(5));
        var regressor = new MlpRegressor<float>(new TabularTrainingOptions { Epochs = 5 }).Fit(x, y);
        var classifier = new MlpClassifier<float>(new TabularTrainingOptions { Epochs = 5 }).Fit(x, [.. y.Select(v => v > 2500 ? 1 : 0)]);
        var (rows, _) = Synthetic(40, new Rng(6));
        for (int r = 0; r < rows.Rows; r += 6) rows[r, r % 5] = float.NaN;   // missing: imputed alike
        rows[1, 2] = 40;                                                       // far outside training, still finite

        Assert.Equal(regressor.Predict(TableOf(rows)), regressor.Predict(rows));
        Assert.Equal(classifier.PredictProba(TableOf(rows)).Data, classifier.PredictProba(rows).Data);
        var one = new Matrix<float>(rows.Row(1).ToArray(), 1, 5);
        Assert.Equal(regressor.Predict(TableOf(one)), regressor.Predict(one));
    }

    [Fact]
    public void A_matrix_value_the_table_would_report_is_reported_as_the_table_reports_it()
    {
        var (x, y) = Synthetic(200, new Rng(5));
        var regressor = new MlpRegressor<double>(new TabularTrainingOptions { Epochs = 3 }).Fit(new Matrix<double>([.. x.Data.Select(v => (double)v)], 200, 5), y);
        // Far beyond anything seen: the network overflows, and the message names the column as it would for a file.
        var far = new Matrix<double>(1, 5);
        far[0, 3] = 1.7e308;
        BackpropException overflow = Assert.Throws<BackpropException>(() => regressor.Predict(far));
        Assert.Contains("in column 'x3'", overflow.Message);
        // Infinite: refused by the table's path, the same way.
        far[0, 3] = double.PositiveInfinity;
        Assert.Equal(Assert.Throws<BackpropException>(() => regressor.Predict(TableOf(far))).Message, Assert.Throws<BackpropException>(() => regressor.Predict(far)).Message);
    }
}
