using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Models;

/// <summary>
/// Temperature scaling (Guo, Pleiss, Sun and Weinberger 2017): a classifier's logits divided by one number <c>T</c> before the
/// softmax (or sigmoid), fitted on held-out rows to minimize their log loss. <c>T &gt; 1</c> softens an over-confident model,
/// <c>T &lt; 1</c> sharpens an under-confident one (label smoothing makes one); the predicted class never changes.
/// </summary>
/// <remarks>
/// The fit adds to the mean log loss a prior worth one row that the network's own scale is right (<c>ln T ~ N(0, 1)</c>, the
/// maximum a posteriori <c>T</c>). Without it, held-out rows that are all classified right (a small validation split of an
/// easy table) pull <c>T</c> to its lowest value, and every later prediction would claim certainty on a few dozen rows.
/// </remarks>
public static class TemperatureScaling
{
    /// <summary>The lowest temperature fitted: sharper than this is certainty, not calibration.</summary>
    public const double Min = 0.05;

    /// <summary>The highest temperature fitted.</summary>
    public const double Max = 20;

    /// <summary>The temperature of least log loss on the rows (with a prior worth one row on <c>ln T</c>), in <c>[<see cref="Min"/>, <see cref="Max"/>]</c>.</summary>
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
        // The log loss, plus a prior worth one row that the network's own scale is right: ln T ~ N(0, 1). On hundreds of rows
        // it moves nothing; on a few rows that the model all gets right, the log loss alone falls without end as T → 0, and a
        // handful of rows would make every later prediction certain.
        double Objective(double logT) => LogLoss(z, logits.Columns, y, output, Math.Exp(logT)) + logT * logT / (2.0 * y.Length);
        // The log loss is convex in 1/T (log-sum-exps of linear functions of it, minus linear ones), so unimodal in log T, and
        // so is its sum with the prior: a golden-section search on log T finds the minimum over the range.
        double low = Math.Log(Min), high = Math.Log(Max);
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double a = high - ratio * (high - low), b = low + ratio * (high - low);
        double fa = Objective(a), fb = Objective(b);
        for (int iteration = 0; iteration < 80 && high - low > 1e-9; iteration++)
        {
            if (fa <= fb)
            {
                (high, b, fb) = (b, a, fa);
                a = high - ratio * (high - low);
                fa = Objective(a);
            }
            else
            {
                (low, a, fa) = (a, b, fb);
                b = low + ratio * (high - low);
                fb = Objective(b);
            }
        }
        double best = (low + high) / 2;
        // Never worse than leaving the model as it is.
        return Objective(best) < Objective(0) ? Math.Exp(best) : 1;
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
    // The fit evaluates it some fifty times over every row, so the rows go in chunks: each chunk's shifted values through one
    // vector pass of exponentials (Exponentials: an element's result depends on its value alone), then each row's sum in
    // order, so that the loss has the bits a row at a time would give.
    private static double LogLoss(double[] z, int outputs, int[] labels, OutputKind output, double temperature)
    {
        int rows = labels.Length;
        double sum = 0;
        if (rows == 0)
        {
            return double.NaN; // the mean of no rows
        }
        if (output == OutputKind.Sigmoid && outputs == 1)
        {
            // One sigmoid logit: log σ(s) = −softplus(−s), log(1 − σ(s)) = −softplus(s).
            for (int r = 0; r < rows; r++)
            {
                double s = z[r] / temperature;
                sum -= labels[r] == 1 ? -Softplus(-s) : -Softplus(s);
            }
            return sum / rows;
        }
        if (outputs == 1)
        {
            // A softmax of one output is certain whatever its logit: nothing to scale (a sigmoid of one is the binary case above).
            throw new ArgumentException($"Expected two or more {output} outputs a row. Received: one.");
        }
        int chunk = Math.Clamp(Exponentials.ChunkValues / outputs, 1, rows);
        var values = new double[chunk * outputs];
        var exponentials = new double[chunk * outputs];
        var maxima = new double[chunk];
        for (int first = 0; first < rows; first += chunk)
        {
            int count = Math.Min(chunk, rows - first);
            // v = z / T (softmax) or log σ(z / T) (one-vs-rest sigmoids), and v − max of each row.
            for (int r = 0; r < count; r++)
            {
                ReadOnlySpan<double> row = z.AsSpan((first + r) * outputs, outputs);
                Span<double> v = values.AsSpan(r * outputs, outputs);
                // The maximum folds in as v is formed: TensorPrimitives' vector maximum over doubles would be one more large
                // method for the JIT to compile on every run, for a fit that takes a few milliseconds on most tables.
                double max = double.NegativeInfinity;
                for (int c = 0; c < outputs; c++)
                {
                    v[c] = output == OutputKind.Softmax ? row[c] / temperature : -Softplus(-row[c] / temperature);
                    max = Math.Max(max, v[c]);
                }
                maxima[r] = max;
                TensorPrimitives.Subtract(v, max, exponentials.AsSpan(r * outputs, outputs));
            }
            Exponentials.ExpInPlace(exponentials.AsSpan(0, count * outputs));
            // log p_y = v_y − (max + log Σ_c exp(v_c − max)): softmax, or the sigmoids normalized (log σ(s_y) − log Σ σ(s_c)).
            for (int r = 0; r < count; r++)
            {
                double total = 0;
                for (int c = 0; c < outputs; c++) total += exponentials[r * outputs + c];
                sum -= values[r * outputs + labels[first + r]] - (maxima[r] + Math.Log(total));
            }
        }
        return sum / rows;
    }

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
}
