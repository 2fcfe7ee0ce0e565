using Backprop.Layers;

namespace Backprop.Tests.Layers;

public class MishTests
{
    // Output of tests/golden/activations.py (mpmath, 50 digits, rounded to float64).
    private static readonly double[] X = [-50, -20, -5, -1, -0.5, -1e-10, 0, 1e-10, 0.5, 1, 5, 20, 50];

    private static readonly double[] Expected = [-9.643749239819589e-21, -4.122307240628761e-08, -0.033576237730161704,
        -0.3034014613741089, -0.22074377465173, -5.99999999968e-11, 0.0, 6.00000000032e-11, 0.37524521130489513,
        0.8650983882673103, 4.999552077529406, 20.0, 50.0];

    private static readonly double[] ExpectedDerivative = [-9.450874255023197e-21, -3.916191874348969e-08, -0.026747498019901932,
        0.05921675587739495, 0.2895106779135122, 0.599999999936, 0.6, 0.600000000064, 0.8864243753577272, 1.0490362200997922,
        1.0008002248320826, 1.0000000000000002, 1.0];

    [Fact]
    public void Values_and_derivatives_match_high_precision_references()
    {
        // Relative accuracy holds into the far negative tail, where x · tanh(log1p(exp(x))) keeps every digit only if no
        // step rounds 1 + exp(x) to 1 first.
        (double[] y, double[] dx) = Elementwise.Apply(new Mish<double>(), X);
        Elementwise.AssertClose(Expected, y, 1e-15, "mish");
        Elementwise.AssertClose(ExpectedDerivative, dx, 1e-15, "mish'");
        Assert.Equal(0.8650983882673103, y[Array.IndexOf(X, 1)], 1e-16);
    }

    [Fact]
    public void Huge_inputs_give_finite_exact_limits()
    {
        // exp(x) overflows above 709 and n = e · (e + 2) above 354: neither may turn into ∞/∞.
        double[] x = [-1000, -800, 400, 1000, double.MaxValue];
        (double[] y, double[] dx) = Elementwise.Apply(new Mish<double>(), x);
        Assert.Equal([-0.0, -0.0, 400, 1000, double.MaxValue], y);
        Assert.Equal([0, 0, 1, 1, 1], dx);
        (float[] yf, float[] dxf) = Elementwise.Apply(new Mish<float>(), [-50f, 50f, -1000f, 1000f]);
        Assert.Equal([50f, -0f, 1000f], yf[1..]);
        Assert.Equal([1f, 0f, 1f], dxf[1..]);
        // At −50 float32 evaluates in its own precision (SIMD exp, then a few roundings): within a few ulps of the reference.
        Elementwise.AssertClose([Expected[0], ExpectedDerivative[0]], [yf[0], dxf[0]], 6e-7, "mish(-50) in float32");
    }

    [Fact]
    public void Backward_matches_finite_differences_on_large_inputs() =>
        // Unlike SELU's, the output shrinks with the derivative in the negative tail, so the difference stays accurate there.
        Elementwise.AssertFiniteDifferences(() => new Mish<double>(), low: -60, high: 60, seed: 32);

    [Fact]
    public void Prints_itself() => Assert.Equal("Mish()  // 0 parameters", new Mish<float>().ToString());
}
