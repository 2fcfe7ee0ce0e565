using Backprop.Metrics;
using Backprop.Tensors;

namespace Backprop.Tests.Metrics;

public class MetricsTests
{
    // Confusion (rows truth): [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    private static readonly int[] Actual = [0, 0, 0, 1, 1, 2];
    private static readonly int[] Predicted = [0, 1, 0, 1, 2, 2];

    [Fact]
    public void Confusion_matrix_rows_are_the_truth()
    {
        int[,] m = Classification.ConfusionMatrix(Actual, Predicted, 3);
        Assert.Equal(new int[,] { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } }, m);
    }

    [Fact]
    public void Per_class_scores_by_hand()
    {
        ClassScores[] s = Classification.PerClass(Actual, Predicted, 3);
        // class 0: P 2/2, R 2/3, F1 0.8; class 1: P 1/2, R 1/2, F1 0.5; class 2: P 1/2, R 1, F1 2/3
        Assert.Equal(new ClassScores(1, 2.0 / 3, 0.8, 3), s[0] with { F1 = Math.Round(s[0].F1, 12) });
        Assert.Equal(new ClassScores(0.5, 0.5, 0.5, 2), s[1]);
        Assert.Equal(0.5, s[2].Precision);
        Assert.Equal(1, s[2].Recall);
        Assert.Equal(2.0 / 3, s[2].F1, 12);
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, Classification.MacroF1(Actual, Predicted, 3), 12);
        Assert.Equal((0.8 * 3 + 0.5 * 2 + 2.0 / 3) / 6, Classification.WeightedF1(Actual, Predicted, 3), 12);
        Assert.Equal(4.0 / 6, Classification.Accuracy(Actual, Predicted), 12);
        Assert.Equal((2.0 / 3 + 0.5 + 1) / 3, Classification.BalancedAccuracy(Actual, Predicted, 3), 12);
    }

    [Fact]
    public void Zero_denominators_give_zero_scores()
    {
        // Class 1 is never predicted and class 2 never occurs.
        ClassScores[] s = Classification.PerClass([0, 1], [0, 0], 3);
        Assert.Equal(new ClassScores(0, 0, 0, 1), s[1]);
        Assert.Equal(new ClassScores(0, 0, 0, 0), s[2]);
        // Balanced accuracy ignores the absent class 2.
        Assert.Equal(0.5, Classification.BalancedAccuracy([0, 1], [0, 0], 3), 12);
    }

    [Fact]
    public void Log_loss_by_hand_and_clipped()
    {
        var p = new Matrix<double>([0.8, 0.2, 0.4, 0.6], 2, 2);
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.6)) / 2, Classification.LogLoss([0, 1], p), 12);
        var certainWrong = new Matrix<double>([0.0, 1.0], 1, 2);
        Assert.Equal(-Math.Log(1e-15), Classification.LogLoss([0], certainWrong), 9);
    }

    [Fact]
    public void Predict_uses_argmax_or_the_sign_of_a_single_logit()
    {
        Assert.Equal([1, 0], Classification.Predict(new Matrix<float>([0.1f, 0.9f, 2, -1], 2, 2)));
        Assert.Equal([1, 0, 0], Classification.Predict(new Matrix<float>([0.1f, -0.2f, 0], 3, 1)));
    }

    [Fact]
    public void Regression_metrics_by_hand()
    {
        double[] y = [1, 2, 3, 4], yhat = [1.5, 2, 2, 5];
        // residual Σ = 0.25 + 0 + 1 + 1 = 2.25, total Σ = 5
        Assert.Equal(1 - 2.25 / 5, Regression.RSquared(y, yhat), 12);
        Assert.Equal(0.625, Regression.MeanAbsoluteError(y, yhat), 12);
        Assert.Equal(0.75, Regression.RootMeanSquaredError(y, yhat), 12);
        Assert.Equal(1, Regression.RSquared([2, 2], [2, 2]));
        Assert.Equal(0, Regression.RSquared([2, 2], [2, 3]));
        // Two columns: the mean of their R².
        var actual = new Matrix<double>([1, 10, 2, 20, 3, 30, 4, 40], 4, 2);
        var predicted = new Matrix<double>([1.5, 10, 2, 20, 2, 30, 5, 40], 4, 2);
        Assert.Equal((0.55 + 1) / 2, Regression.RSquared(actual, predicted), 12);
        Assert.Throws<ArgumentException>(() => Regression.RSquared([1, 2], [1]));
    }
}
