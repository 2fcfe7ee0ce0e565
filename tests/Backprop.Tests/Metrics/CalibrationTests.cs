using Backprop.Metrics;
using Backprop.Tensors;

namespace Backprop.Tests.Metrics;

public class CalibrationTests
{
    [Fact]
    public void The_error_is_the_row_weighted_gap_between_accuracy_and_confidence_per_bin()
    {
        // Bin [0.6, 0.8): confidences 0.7 and 0.7, one right -> gap |0.5 − 0.7| = 0.2 over 2 rows. Bin [0.8, 1]: 0.9, right -> 0.1.
        var probabilities = new Matrix<double>([0.7, 0.3, 0.3, 0.7, 0.1, 0.9], 3, 2);
        int[] actual = [0, 0, 1];
        ReliabilityBin[] bins = Calibration.Reliability(actual, probabilities, bins: 5);
        Assert.Equal([0, 0, 0, 2, 1], bins.Select(b => b.Count));
        Assert.Equal(0.7, bins[3].Confidence, 1e-12);
        Assert.Equal(0.5, bins[3].Accuracy, 1e-12);
        Assert.True(double.IsNaN(bins[0].Confidence));
        Assert.Equal((2 * 0.2 + 1 * 0.1) / 3, Calibration.ExpectedCalibrationError(actual, probabilities, bins: 5), 1e-12);
    }

    [Fact]
    public void A_certain_prediction_lands_in_the_last_bin()
    {
        var probabilities = new Matrix<float>([0f, 1f], 1, 2);
        Assert.Equal(1, Calibration.Reliability([1], probabilities)[^1].Count);
        Assert.Equal(0, Calibration.ExpectedCalibrationError([1], probabilities), 1e-7);
    }

    [Fact]
    public void Labels_drawn_from_the_probabilities_are_calibrated_and_sharpened_ones_are_not()
    {
        var rng = new Rng(11);
        const int rows = 20_000;
        var honest = new Matrix<double>(rows, 2);
        var overConfident = new Matrix<double>(rows, 2);
        var actual = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            double p = rng.NextDouble();
            actual[r] = rng.NextDouble() < p ? 1 : 0;
            (honest[r, 0], honest[r, 1]) = (1 - p, p);
            // The same odds squared: the same predicted class, more sure of it than the labels say.
            double sharp = p * p / (p * p + (1 - p) * (1 - p));
            (overConfident[r, 0], overConfident[r, 1]) = (1 - sharp, sharp);
        }
        Assert.True(Calibration.ExpectedCalibrationError(actual, honest) < 0.015);
        Assert.True(Calibration.ExpectedCalibrationError(actual, overConfident) > 0.05);
    }
}
