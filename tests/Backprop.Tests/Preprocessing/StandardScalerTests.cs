using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Preprocessing;

public class StandardScalerTests
{
    [Fact]
    public void Uses_the_population_standard_deviation()
    {
        var x = new Matrix<double>([1, 10, 2, 10, 3, 10, 4, 10], 4, 2);
        var scaler = StandardScaler<double>.Fit(x);
        Assert.Equal([2.5, 10], scaler.Mean);
        Assert.Equal(Math.Sqrt(1.25), scaler.Scale[0], 1e-15); // ddof = 0: sqrt(((1.5² + 0.5²) · 2) / 4)
        Matrix<double> z = scaler.Transform(x);
        Assert.Equal(-1.5 / Math.Sqrt(1.25), z[0, 0], 1e-15);
    }

    [Fact]
    public void A_constant_column_becomes_zeros_not_nan()
    {
        var x = new Matrix<float>([5, 5, 5], 3, 1);
        Matrix<float> z = StandardScaler<float>.Fit(x).Transform(x);
        Assert.Equal([0f, 0f, 0f], z.Data);
    }

    [Fact]
    public void Standardized_iris_has_zero_mean_and_unit_variance()
    {
        var iris = Backprop.Data.EmbeddedDatasets.Iris<double>();
        Matrix<double> z = StandardScaler<double>.Fit(iris.Features).Transform(iris.Features);
        for (int c = 0; c < 4; c++)
        {
            double[] column = Enumerable.Range(0, 150).Select(r => z[r, c]).ToArray();
            Assert.Equal(0, column.Average(), 1e-12);
            Assert.Equal(1, column.Select(v => v * v).Average(), 1e-12);
        }
    }
}
