using Backprop.Tensors;

namespace Backprop.Tests.Tensors;

public class SpecialFunctionsTests
{
    // Reference values: Python's math.erf / math.erfc (double precision).
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.49, 0.9995707121322661)]
    [InlineData(2.51, 0.9996142945182758)]
    [InlineData(3.5, 0.9999992569016276)]
    [InlineData(-1.0, -0.8427007929497149)]
    public void Erf_matches_reference(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.Erf(x), 1e-14);

    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(10.0, 2.088487583762545e-45)]
    [InlineData(-2.0, 1.9953222650189528)]
    public void Erfc_matches_reference_to_relative_precision(double x, double expected) =>
        Assert.True(Math.Abs(SpecialFunctions.Erfc(x) - expected) <= 1e-13 * expected, $"erfc({x}) = {SpecialFunctions.Erfc(x)}, expected {expected}");

    [Fact]
    public void Erf_is_nan_for_nan_and_saturates()
    {
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
        Assert.Equal(1.0, SpecialFunctions.Erf(double.PositiveInfinity));
        Assert.Equal(2.0, SpecialFunctions.Erfc(double.NegativeInfinity));
    }
}
