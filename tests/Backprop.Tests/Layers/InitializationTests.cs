using Backprop.Layers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Layers;

public class InitializationTests
{
    private static Dense<double> Draw(int inputs, int outputs, Initialization initialization)
    {
        var dense = new Dense<double>(inputs, outputs, initialization);
        _ = new Sequential<double>(inputs, dense);
        dense.ResetParameters(new Rng(4));
        return dense;
    }

    [Fact]
    public void Xavier_uniform_is_bounded_by_sqrt_six_over_fan_in_plus_fan_out_with_zero_bias()
    {
        Dense<double> dense = Draw(200, 100, Initialization.XavierUniform);
        double bound = Math.Sqrt(6.0 / 300), max = dense.Weight.ToArray().Max(w => Math.Abs(w));
        Assert.True(max <= bound && max > 0.99 * bound, $"max |w| = {max}, bound {bound}");
        // Uniform on ±a has variance a²/3 = 2 / (fan_in + fan_out).
        double variance = dense.Weight.ToArray().Select(w => w * w).Average();
        Assert.InRange(variance, 0.95 * 2.0 / 300, 1.05 * 2.0 / 300);
        Assert.All(dense.Bias.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void He_normal_has_variance_two_over_fan_in_and_zero_bias()
    {
        Dense<double> dense = Draw(200, 100, Initialization.HeNormal);
        double[] w = dense.Weight.ToArray();
        double mean = w.Average(), variance = w.Select(x => (x - mean) * (x - mean)).Average();
        Assert.InRange(mean, -0.005, 0.005);
        Assert.InRange(variance, 0.95 * 2.0 / 200, 1.05 * 2.0 / 200);
        Assert.All(dense.Bias.ToArray(), b => Assert.Equal(0, b));
    }
}
