using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Metrics;

/// <summary>
/// How far a classifier's probabilities are from the frequencies it is right with: a model that says 0.8 should be right 8 times
/// in 10 when it says so.
/// </summary>
/// <remarks>
/// Top-label calibration (Guo, Pleiss, Sun and Weinberger 2017, "On Calibration of Modern Neural Networks"): each prediction's
/// confidence is the probability of the class it predicts; the confidences are binned into equal-width bins over <c>[0, 1]</c>.
/// </remarks>
public static class Calibration
{
    /// <summary>The bins of the expected calibration error and of a reliability diagram, 15 (Guo et al.'s).</summary>
    public const int DefaultBins = 15;

    /// <summary>The predictions binned by confidence: per bin, how many, their mean confidence and their accuracy.</summary>
    /// <param name="actual">The true class of each row.</param>
    /// <param name="probabilities">Predicted probabilities <c>(N, C)</c>.</param>
    /// <param name="bins">Equal-width bins over <c>[0, 1]</c>.</param>
    public static ReliabilityBin[] Reliability<T>(ReadOnlySpan<int> actual, Matrix<T> probabilities, int bins = DefaultBins)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (probabilities.Rows != actual.Length)
        {
            throw new ArgumentException($"Expected {actual.Length} rows of probabilities. Received: {probabilities.Rows}.", nameof(probabilities));
        }
        var counts = new int[bins];
        var confidence = new double[bins];
        var correct = new int[bins];
        int[] predicted = Classification.ArgMax(probabilities);
        for (int i = 0; i < actual.Length; i++)
        {
            double p = double.CreateChecked(probabilities[i, predicted[i]]);
            // [k/B, (k+1)/B); a confidence of 1 goes to the last bin.
            int bin = Math.Clamp((int)(p * bins), 0, bins - 1);
            counts[bin]++;
            confidence[bin] += p;
            if (predicted[i] == actual[i]) correct[bin]++;
        }
        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            result[b] = new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, counts[b],
                counts[b] == 0 ? double.NaN : confidence[b] / counts[b], counts[b] == 0 ? double.NaN : (double)correct[b] / counts[b]);
        }
        return result;
    }

    /// <summary>
    /// The expected calibration error: the mean, over the bins weighted by their share of the rows, of the gap between accuracy and
    /// mean confidence. 0 for a calibrated model; NaN for no rows.
    /// </summary>
    /// <inheritdoc cref="Reliability"/>
    public static double ExpectedCalibrationError<T>(ReadOnlySpan<int> actual, Matrix<T> probabilities, int bins = DefaultBins)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReliabilityBin[] binned = Reliability(actual, probabilities, bins);
        if (actual.Length == 0)
        {
            return double.NaN;
        }
        double error = 0;
        foreach (ReliabilityBin bin in binned)
        {
            if (bin.Count > 0) error += bin.Count * Math.Abs(bin.Accuracy - bin.Confidence);
        }
        return error / actual.Length;
    }
}
