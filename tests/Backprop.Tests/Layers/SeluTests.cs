using Backprop.Layers;

namespace Backprop.Tests.Layers;

public class SeluTests
{
    // Output of tests/golden/activations.py (mpmath, 50 digits, rounded to float64).
    private static readonly double[] X = [-50, -20, -5, -1, -0.5, -1e-10, 0, 1e-10, 0.5, 1, 5, 20, 50];

    private static readonly double[] Expected = [-1.7580993408473768, -1.758099337223664, -1.7462533606696202, -1.1113307378125628,
        -0.6917581878028713, -1.7580993407594719e-10, 0.0, 1.0507009873554805e-10, 0.5253504936777402, 1.0507009873554805,
        5.253504936777403, 21.01401974710961, 52.53504936777402];

    private static readonly double[] ExpectedDerivative = [3.390933836364842e-22, 3.6237128249944117e-09, 0.01184598017775672,
        0.6467686030348141, 1.0663411530445055, 1.758099340671567, 1.7580993408473768, 1.0507009873554805, 1.0507009873554805,
        1.0507009873554805, 1.0507009873554805, 1.0507009873554805, 1.0507009873554805];

    [Fact]
    public void Values_and_derivatives_match_high_precision_references()
    {
        // 1e-15 relative: a few units in the last place. At x = −1e-10 a plain exp(x) − 1 would be off by 1e-8 relative.
        (double[] y, double[] dx) = Elementwise.Apply(new Selu<double>(), X);
        Elementwise.AssertClose(Expected, y, 1e-15, "selu");
        Elementwise.AssertClose(ExpectedDerivative, dx, 1e-15, "selu'");
    }

    [Fact]
    public void Closed_forms_by_hand()
    {
        (double[] y, double[] dx) = Elementwise.Apply(new Selu<double>(), [-1, 2, 0]);
        Assert.Equal(Selu<double>.Lambda * Selu<double>.Alpha * (Math.Exp(-1) - 1), y[0], 1e-15);
        Assert.Equal(2 * Selu<double>.Lambda, y[1]);
        Assert.Equal(0, y[2]);
        // The derivative at exactly 0 is the left one, λ·α, as in PyTorch.
        Assert.Equal(Selu<double>.Lambda * Selu<double>.Alpha, dx[2]);
        Assert.Equal(1.0507009873554805, Selu<double>.Lambda);
        Assert.Equal(1.6732632423543772, Selu<double>.Alpha);
    }

    [Fact]
    public void Saturates_finitely_for_huge_inputs()
    {
        (float[] y, float[] dx) = Elementwise.Apply(new Selu<float>(), [-1e4f, -200f, 200f, 1e30f]);
        float saturation = (float)(-Selu<double>.Lambda * Selu<double>.Alpha);
        Assert.Equal([saturation, saturation, (float)(200 * Selu<double>.Lambda), (float)(1e30f * Selu<double>.Lambda)], y);
        Assert.Equal([0f, 0f, (float)Selu<double>.Lambda, (float)Selu<double>.Lambda], dx);
    }

    [Fact]
    public void Backward_matches_finite_differences_on_large_inputs() =>
        // Below about −6 a central difference cannot resolve the derivative λ·α·exp(x) against the rounding of the output
        // (|output| ≈ 1.76 there): the references above check that side.
        Elementwise.AssertFiniteDifferences(() => new Selu<double>(), low: -6, high: 60, seed: 31);

    [Fact]
    public void Prints_itself() => Assert.Equal("Selu()  // 0 parameters", new Selu<float>().ToString());
}
