using Backprop.Metrics;
using Backprop.Models;
using Backprop.Tensors;

namespace Backprop.Tests.Models;

public class TemperatureScalingTests
{
    // Logits z of C classes, and labels drawn from softmax(z / truth): a model whose logits are `truth` times too large.
    private static (Matrix<double> Logits, int[] Labels) Sample(double truth, int rows, int classes, ulong seed)
    {
        var rng = new Rng(seed);
        var logits = new Matrix<double>(rows, classes);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < classes; c++) logits[r, c] = 3 * rng.NextNormal();
            double[] p = [.. Enumerable.Range(0, classes).Select(c => Math.Exp(logits[r, c] / truth))];
            double u = rng.NextDouble() * p.Sum();
            int label = 0;
            while (label < classes - 1 && (u -= p[label]) > 0) label++;
            labels[r] = label;
        }
        return (logits, labels);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void It_finds_the_temperature_the_labels_were_drawn_with(double truth)
    {
        (Matrix<double> logits, int[] labels) = Sample(truth, 20_000, 4, 3);
        double fitted = TemperatureScaling.Fit(logits, labels, OutputKind.Softmax);
        Assert.InRange(fitted, truth * 0.93, truth * 1.07);
        // The minimum of the log loss: a little either way is worse.
        double best = TemperatureScaling.LogLoss(logits, labels, OutputKind.Softmax, fitted);
        Assert.True(best <= TemperatureScaling.LogLoss(logits, labels, OutputKind.Softmax, fitted * 1.05));
        Assert.True(best <= TemperatureScaling.LogLoss(logits, labels, OutputKind.Softmax, fitted / 1.05));
    }

    [Fact]
    public void It_lowers_the_calibration_error_of_an_over_confident_model()
    {
        (Matrix<double> logits, int[] labels) = Sample(3, 10_000, 3, 8);
        double before = Calibration.ExpectedCalibrationError(labels, Softmax(logits, 1));
        double temperature = TemperatureScaling.Fit(logits, labels, OutputKind.Softmax);
        double after = Calibration.ExpectedCalibrationError(labels, Softmax(logits, temperature));
        Assert.True(before > 0.1, $"ECE before {before}");
        Assert.True(after < 0.02, $"ECE after {after}");
    }

    [Fact]
    public void A_single_logit_is_a_binary_sigmoid()
    {
        var rng = new Rng(4);
        const int rows = 20_000;
        var logits = new Matrix<float>(rows, 1);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            double z = 4 * rng.NextNormal();
            logits[r, 0] = (float)z;
            labels[r] = rng.NextDouble() < 1 / (1 + Math.Exp(-z / 2.5)) ? 1 : 0;
        }
        Assert.InRange(TemperatureScaling.Fit(logits, labels, OutputKind.Sigmoid), 2.5 * 0.93, 2.5 * 1.07);
    }

    [Theory]
    [InlineData(OutputKind.Softmax, 3)]
    [InlineData(OutputKind.Softmax, 26)]
    [InlineData(OutputKind.Sigmoid, 4)]
    public void The_log_loss_of_many_rows_is_the_mean_of_each_rows_taken_alone(OutputKind output, int classes)
    {
        // More rows than one chunk of the loss holds (16,384 values), the last chunk partial: a row's terms must not depend on
        // the rows computed with it.
        (Matrix<double> logits, int[] labels) = Sample(1.5, 9_001, classes, 8);
        const double temperature = 1.7;
        double expected = 0;
        for (int r = 0; r < logits.Rows; r++)
        {
            // log p_y by log-sum-exp: softmax, or one-vs-rest sigmoids normalized (log σ(s_y) − log Σ σ(s_c)).
            double[] v = [.. Enumerable.Range(0, classes).Select(c => output == OutputKind.Softmax
                ? logits[r, c] / temperature
                : -Math.Log(1 + Math.Exp(-logits[r, c] / temperature)))];
            double max = v.Max();
            expected -= v[labels[r]] - (max + Math.Log(v.Sum(x => Math.Exp(x - max))));
        }
        expected /= logits.Rows;
        double actual = TemperatureScaling.LogLoss(logits, labels, output, temperature);
        Assert.Equal(expected, actual, Math.Abs(expected) * 1e-12);
        // Each row alone gives the same bits, summed in the same order.
        double rowByRow = 0;
        for (int r = 0; r < logits.Rows; r++)
        {
            var one = new Matrix<double>(logits.Row(r).ToArray(), 1, classes);
            rowByRow += TemperatureScaling.LogLoss(one, [labels[r]], output, temperature);
        }
        Assert.Equal(rowByRow / logits.Rows, actual, Math.Abs(actual) * 1e-12);
        // A softmax of one output has nothing to scale (an index out of range before, for the label 1).
        Assert.Throws<ArgumentException>(() => TemperatureScaling.LogLoss(new Matrix<double>([1, 2], 2, 1), [0, 1], OutputKind.Softmax, temperature));
    }

    [Fact]
    public void Rows_all_classified_right_do_not_make_the_model_certain_and_no_rows_leave_it_at_one()
    {
        // Two rows, both right by a margin of 1: the log loss alone falls without end as T → 0. With the prior worth one row
        // on ln T the objective is ln(1 + e^(−1/T)) + (ln T)²/4: its minimum, found here by brute force.
        var logits = new Matrix<double>([1, 0, 0, 1], 2, 2);
        double expected = Enumerable.Range(0, 200_001).Select(i => Math.Exp(-3 + 6e-5 * i))
            .MinBy(t => Math.Log(1 + Math.Exp(-1 / t)) + Math.Log(t) * Math.Log(t) / 4);
        Assert.Equal(expected, TemperatureScaling.Fit(logits, [0, 1], OutputKind.Softmax), 1e-4);
        Assert.True(expected > 0.3, $"T {expected}");
        // 36 rows all right (a small validation split of an easy table): confident, not certain.
        var many = new Matrix<double>([.. Enumerable.Range(0, 36).SelectMany(r => r % 2 == 0 ? new double[] { 2, 0 } : [0, 2])], 36, 2);
        double t = TemperatureScaling.Fit(many, [.. Enumerable.Range(0, 36).Select(r => r % 2)], OutputKind.Softmax);
        Assert.InRange(1 / (1 + Math.Exp(-2 / t)), 0.95, 0.9999);
        Assert.Equal(1, TemperatureScaling.Fit(new Matrix<double>(0, 2), [], OutputKind.Softmax));
        Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(logits, [0, 1], OutputKind.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Fit(logits, [0, 2], OutputKind.Softmax));
    }

    private static Matrix<double> Softmax(Matrix<double> logits, double temperature)
    {
        var p = new Matrix<double>(logits.Rows, logits.Columns);
        for (int r = 0; r < logits.Rows; r++)
        {
            double[] e = [.. logits.Row(r).ToArray().Select(z => Math.Exp(z / temperature))];
            for (int c = 0; c < e.Length; c++) p[r, c] = e[c] / e.Sum();
        }
        return p;
    }
}
