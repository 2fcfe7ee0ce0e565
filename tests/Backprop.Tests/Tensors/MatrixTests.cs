using Backprop.Tensors;

namespace Backprop.Tests.Tensors;

public class MatrixTests
{
    [Fact]
    public void Is_row_major()
    {
        var m = new Matrix<float>([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(6, m[1, 2]);
        Assert.Equal([4f, 5f, 6f], m.Row(1).ToArray());
    }

    [Fact]
    public void Checks_shapes_at_the_boundary()
    {
        var error = Assert.Throws<ArgumentException>(() => new Matrix<double>(new double[5], 2, 3));
        Assert.Contains("rows * columns = 2 * 3 = 6", error.Message);
        var m = new Matrix<double>(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[2, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(-1));
    }
}
