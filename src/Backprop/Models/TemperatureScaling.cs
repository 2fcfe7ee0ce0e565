using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Models;

/// <summary>
/// Temperature scaling (Guo, Pleiss, Sun and Weinberger 2017): a classifier's logits divided by one number <c>T</c> before the
/// softmax (or sigmoid), fitted on held-out rows to minimize their log loss. <c>T &gt; 1</c> softens an over-confident model,
/// <c>T &lt; 1</c> sharpens an under-confident one (label smoothing makes one); the predicted class never changes.
/// </summary>
public static class TemperatureScaling
{
    /// <summary>The lowest temperature fitted: sharper than this is certainty, not calibration.</summary>
    public const double Min = 0.05;

    /// <summary>The highest temperature fitted.</summary>
    public const double Max = 20;

    /// <summary>The temperature of least log loss on the rows, in <c>[<see cref="Min"/>, <see cref="Max"/>]</c>.</summary>
    /// <param name="logits">Raw outputs <c>(N, O)</c>: one per class (softmax), or one logit for two classes or one per class (sigmoid).</param>
    /// <param name="labels">The true class of each row.</param>
    /// <param name="output">How the logits become probabilities.</param>
    /// <exception cref="ArgumentException">The output kind is not a classifier's, or the labels do not fit the logits.</exception>
    public static double Fit<T>(Matrix<T> logits, ReadOnlySpan<int> labels, OutputKind output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (output == OutputKind.Identity)
        {
            throw new ArgumentException("Expected a classifier's outputs (softmax or sigmoid). Received: identity.", nameof(output));
        }
        if (labels.Length != logits.Rows)
        {
            throw new ArgumentException($"Expected one label per row ({logits.Rows}). Received: {labels.Length}.", nameof(labels));
        }
        int classes = logits.Columns == 1 ? 2 : logits.Columns;
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes) throw new ArgumentOutOfRangeException(nameof(labels), $"Expected class indices in [0, {classes}). Received: {label}.");
        }
        if (labels.Length == 0)
        {
            return 1;
        }
        double[] z = new double[logits.Data.Length];
        for (int i = 0; i < z.Length; i++) z[i] = double.CreateChecked(logits.Data[i]);
        int[] y = labels.ToArray();
        // The log loss is convex in 1/T (a log-sum-exp of linear functions of it, minus a linear one), so unimodal in log T:
        // a golden-section search on log T finds its minimum over the range.
        double low = Math.Log(Min), high = Math.Log(Max);
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double a = high - ratio * (high - low), b = low + ratio * (high - low);
        double fa = LogLoss(z, logits.Columns, y, output, Math.Exp(a)), fb = LogLoss(z, logits.Columns, y, output, Math.Exp(b));
        for (int iteration = 0; iteration < 80 && high - low > 1e-9; iteration++)
        {
            if (fa <= fb)
            {
                (high, b, fb) = (b, a, fa);
                a = high - ratio * (high - low);
                fa = LogLoss(z, logits.Columns, y, output, Math.Exp(a));
            }
            else
            {
                (low, a, fa) = (a, b, fb);
                b = low + ratio * (high - low);
                fb = LogLoss(z, logits.Columns, y, output, Math.Exp(b));
            }
        }
        double best = Math.Exp((low + high) / 2);
        // Never worse than leaving the model as it is.
        return LogLoss(z, logits.Columns, y, output, best) < LogLoss(z, logits.Columns, y, output, 1) ? best : 1;
    }

    /// <summary>The mean log loss of the rows with their logits divided by <paramref name="temperature"/>.</summary>
    /// <inheritdoc cref="Fit"/>
    public static double LogLoss<T>(Matrix<T> logits, ReadOnlySpan<int> labels, OutputKind output, double temperature) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        double[] z = new double[logits.Data.Length];
        for (int i = 0; i < z.Length; i++) z[i] = double.CreateChecked(logits.Data[i]);
        return LogLoss(z, logits.Columns, labels.ToArray(), output, temperature);
    }

    // −mean log p(y) of logits z (N, O) / T, in double, every term by log-sum-exp or softplus so that nothing overflows.
    private static double LogLoss(double[] z, int outputs, int[] labels, OutputKind output, double temperature)
    {
        double sum = 0;
        double[]? perClass = null;
        for (int r = 0; r < labels.Length; r++)
        {
            ReadOnlySpan<double> row = z.AsSpan(r * outputs, outputs);
            int y = labels[r];
            if (output == OutputKind.Softmax)
            {
                double max = double.NegativeInfinity;
                foreach (double v in row) max = Math.Max(max, v / temperature);
                double total = 0;
                foreach (double v in row) total += Math.Exp(v / temperature - max);
                sum -= row[y] / temperature - max - Math.Log(total);
            }
            else if (outputs == 1)
            {
                // log σ(s) = −softplus(−s), log(1 − σ(s)) = −softplus(s)
                double s = row[0] / temperature;
                sum += Softplus(y == 1 ? -s : s);
            }
            else
            {
                // One-vs-rest sigmoids normalized: log σ(s_y) − log Σ σ(s_c).
                double max = double.NegativeInfinity;
                Span<double> logs = perClass ??= new double[outputs];
                for (int c = 0; c < outputs; c++) max = Math.Max(max, logs[c] = -Softplus(-row[c] / temperature));
                double total = 0;
                foreach (double v in logs) total += Math.Exp(v - max);
                sum -= logs[y] - max - Math.Log(total);
            }
        }
        return sum / labels.Length;
    }

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
}
