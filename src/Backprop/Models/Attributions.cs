using System.Numerics;
using Backprop.Layers;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Models;

/// <summary>
/// Why a model predicted what it did for a row: each input's share of the prediction, by backpropagation to the inputs.
/// </summary>
/// <remarks>
/// <para>
/// The explained output <c>f</c> is the probability of a class (by default the predicted one; calibrated, averaged over the
/// members, as <see cref="TabularModel{T}.PredictProbabilities(Matrix{T})"/> gives it) or the predicted value in the target's
/// units. The baseline <c>b</c> is an encoded row standing for "nothing in particular", by default the mean encoded row of the data
/// explained (the average of each standardized column; each category's share for a one-hot column).
/// </para>
/// <para>
/// <b>Integrated Gradients</b> (Sundararajan, Taly and Yan 2017): <c>(x − b) ⊙ ∫₀¹ ∇f(b + α(x − b)) dα</c>, the integral by the
/// midpoint rule over <c>steps</c> points. Complete: the attributions add up to <c>f(x) − f(b)</c>, up to the rule's error,
/// which <see cref="RowAttribution.Gap"/> reports. <b>Gradient × input</b>: <c>(x − b) ⊙ ∇f(x)</c>, one backward pass, exact
/// only for a linear model. Both by original column: a one-hot block's attributions add up to its column's.
/// </para>
/// </remarks>
public static class Attributions
{
    /// <summary>Integrated Gradients of <paramref name="rows"/> (encoded, <c>(N, F)</c>), by original column.</summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">Encoded rows to explain.</param>
    /// <param name="baseline">An encoded row <c>(F)</c>; <see langword="null"/> for the mean of <paramref name="rows"/>.</param>
    /// <param name="classes">Per row, the class whose probability is explained; <see langword="null"/> for the predicted class (ignored for a regressor).</param>
    /// <param name="steps">Points of the integral, ≥ 1.</param>
    public static RowAttribution[] IntegratedGradients<T>(TabularModel<T> model, Matrix<T> rows, IReadOnlyList<T>? baseline = null,
        IReadOnlyList<int>? classes = null, int steps = 64) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return Explain(model, rows, baseline, classes, steps);
    }

    /// <summary>Gradient × input of <paramref name="rows"/>, by original column: one backward pass a row.</summary>
    /// <inheritdoc cref="IntegratedGradients"/>
    public static RowAttribution[] GradientTimesInput<T>(TabularModel<T> model, Matrix<T> rows, IReadOnlyList<T>? baseline = null,
        IReadOnlyList<int>? classes = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Explain(model, rows, baseline, classes, 0);

    /// <summary>The mean encoded row: the default baseline.</summary>
    public static T[] MeanRow<T>(Matrix<T> rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        var mean = new double[rows.Columns];
        for (int r = 0; r < rows.Rows; r++)
        {
            Span<T> row = rows.Row(r);
            for (int f = 0; f < mean.Length; f++) mean[f] += double.CreateChecked(row[f]);
        }
        return [.. mean.Select(m => T.CreateChecked(rows.Rows == 0 ? 0 : m / rows.Rows))];
    }

    // steps = 0: gradient × input; otherwise Integrated Gradients over that many midpoints.
    private static RowAttribution[] Explain<T>(TabularModel<T> model, Matrix<T> rows, IReadOnlyList<T>? baseline, IReadOnlyList<int>? classes, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        int f = model.Network.InputFeatures;
        if (rows.Columns != f)
        {
            throw new ArgumentException($"Expected encoded rows of {f} inputs. Received: {rows.Columns}.", nameof(rows));
        }
        T[] b = baseline is null ? MeanRow(rows) : [.. baseline];
        if (b.Length != f)
        {
            throw new ArgumentException($"Expected a baseline of {f} inputs. Received: {b.Length}.", nameof(baseline));
        }
        if (model.Output == OutputKind.Sigmoid && model.Network.OutputFeatures / model.Members > 1)
        {
            throw new NotSupportedException("Attributions of one-vs-rest sigmoid outputs (bce on more than two classes) are not supported; train with cross-entropy.");
        }
        Matrix<T>? probabilities = model.Output == OutputKind.Identity ? null : model.PredictProbabilities(rows);
        int[] targets = classes is not null ? [.. classes]
            : probabilities is null ? new int[rows.Rows] : Metrics.Classification.ArgMax(probabilities);
        if (targets.Length != rows.Rows || (probabilities is not null && targets.Any(c => (uint)c >= (uint)probabilities.Columns)))
        {
            throw new ArgumentException($"Expected one class in [0, {probabilities?.Columns ?? 1}) per row ({rows.Rows}).", nameof(classes));
        }

        int points = Math.Max(steps, 1);
        Sequential<T> network = model.Network;
        Workspace<T> workspace = network.CreateWorkspace(points);
        var inputs = new T[points * f];
        var gradients = new T[points * f];
        var outputGradient = new double[network.OutputFeatures];
        var attributions = new RowAttribution[rows.Rows];
        IReadOnlyList<FeatureColumnState> columns = model.Preprocessor.State.Features;
        var encoded = new double[f];
        // The explained outputs of the rows and of the baseline, each predicted once.
        double[]? values = probabilities is null ? model.PredictValues(rows) : null;
        Matrix<T> baselineRow = new(b, 1, f);
        Matrix<T>? baselineProbabilities = probabilities is null ? null : model.PredictProbabilities(baselineRow);
        double baselineValue = probabilities is null ? model.PredictValues(baselineRow)[0] : double.NaN;
        for (int r = 0; r < rows.Rows; r++)
        {
            Span<T> x = rows.Row(r);
            // The points: b + α(x − b) at α = (s + ½)/steps, or x itself.
            for (int s = 0; s < points; s++)
            {
                T alpha = steps == 0 ? T.One : T.CreateChecked((s + 0.5) / steps);
                for (int i = 0; i < f; i++) inputs[s * f + i] = b[i] + alpha * (x[i] - b[i]);
            }
            ReadOnlySpan<T> outputs = network.Forward(workspace, inputs, points);
            Span<T> lossGradient = workspace.LossGradient(points);
            for (int s = 0; s < points; s++)
            {
                OutputGradient(model, outputs.Slice(s * network.OutputFeatures, network.OutputFeatures), targets[r], outputGradient);
                for (int o = 0; o < outputGradient.Length; o++) lossGradient[s * network.OutputFeatures + o] = T.CreateChecked(outputGradient[o]);
            }
            network.BackwardToInput(workspace, inputs, points, gradients);
            Array.Clear(encoded);
            for (int s = 0; s < points; s++)
            {
                for (int i = 0; i < f; i++) encoded[i] += double.CreateChecked(gradients[s * f + i]);
            }
            for (int i = 0; i < f; i++) encoded[i] *= double.CreateChecked(x[i] - b[i]) / points;

            double value = probabilities is null ? values![r] : double.CreateChecked(probabilities[r, targets[r]]);
            double start = baselineProbabilities is null ? baselineValue : double.CreateChecked(baselineProbabilities[0, targets[r]]);
            var byColumn = new double[columns.Count];
            int offset = 0;
            for (int c = 0; c < columns.Count; c++)
            {
                for (int i = 0; i < columns[c].Width; i++) byColumn[c] += encoded[offset + i];
                offset += columns[c].Width;
            }
            attributions[r] = new RowAttribution(targets[r], value, start, byColumn, value - start - byColumn.Sum());
        }
        network.ZeroGradients();
        return attributions;
    }

    // ∂f/∂z for the network's raw outputs z (M·O): the chain through the members' average, the temperature and the softmax.
    private static void OutputGradient<T>(TabularModel<T> model, ReadOnlySpan<T> raw, int target, Span<double> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int members = model.Members, o = raw.Length / members;
        if (model.Output == OutputKind.Identity)
        {
            // f = scale · mean_k z_k + mean
            for (int i = 0; i < raw.Length; i++) gradient[i] = model.TargetScaling.Scale / members;
            return;
        }
        double temperature = model.Temperature;
        if (model.Output == OutputKind.Sigmoid)
        {
            // One logit: p̄ = mean σ(z_k); p = σ(logit(p̄)/T); f = p (class 1) or 1 − p (class 0).
            double mean = 0;
            var sig = new double[members];
            for (int k = 0; k < members; k++) mean += (sig[k] = 1 / (1 + Math.Exp(-double.CreateChecked(raw[k])))) / members;
            mean = Math.Clamp(mean, 1e-300, 1 - 1e-16);
            double p = 1 / (1 + Math.Exp(-(Math.Log(mean) - Math.Log(1 - mean)) / temperature));
            double dp = p * (1 - p) / temperature / (mean * (1 - mean)) * (target == 1 ? 1 : -1);
            for (int k = 0; k < members; k++) gradient[k] = dp * sig[k] * (1 - sig[k]) / members;
            return;
        }
        // q_k = softmax(z_k); p̄ = mean_k q_k; p = softmax(log p̄ / T); f = p_c.
        // ∂f/∂p̄_j = p_c (δ_cj − p_j) / (T p̄_j); ∂p̄_j/∂z_ki = q_kj (δ_ji − q_ki) / M.
        var q = new double[members * o];
        var meanP = new double[o];
        for (int k = 0; k < members; k++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < o; j++) max = Math.Max(max, double.CreateChecked(raw[k * o + j]));
            double sum = 0;
            for (int j = 0; j < o; j++) sum += q[k * o + j] = Math.Exp(double.CreateChecked(raw[k * o + j]) - max);
            for (int j = 0; j < o; j++) meanP[j] += (q[k * o + j] /= sum) / members;
        }
        var s = new double[o];
        double top = double.NegativeInfinity;
        for (int j = 0; j < o; j++) top = Math.Max(top, s[j] = Math.Log(Math.Max(meanP[j], 1e-300)) / temperature);
        double total = 0;
        for (int j = 0; j < o; j++) total += s[j] = Math.Exp(s[j] - top);
        for (int j = 0; j < o; j++) s[j] /= total; // s = p
        var dMean = new double[o];
        for (int j = 0; j < o; j++) dMean[j] = s[target] * ((j == target ? 1 : 0) - s[j]) / (temperature * Math.Max(meanP[j], 1e-300));
        for (int k = 0; k < members; k++)
        {
            // Σ_j dMean_j q_kj (δ_ji − q_ki) = q_ki (dMean_i − Σ_j dMean_j q_kj)
            double dot = 0;
            for (int j = 0; j < o; j++) dot += dMean[j] * q[k * o + j];
            for (int i = 0; i < o; i++) gradient[k * o + i] = q[k * o + i] * (dMean[i] - dot) / members;
        }
    }
}
