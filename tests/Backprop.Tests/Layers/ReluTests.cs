using Backprop.Layers;

namespace Backprop.Tests.Layers;

public class ReluTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(17)]
    [InlineData(33)]
    public void Backward_passes_the_gradient_only_where_the_input_is_positive(int features)
    {
        var relu = new Relu<float>();
        if (features == 0)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => relu.Build(0));
            return;
        }
        relu.Build(features);
        int batch = 3, n = batch * features;
        // Inputs cycle through negative, zero and positive values so every vector lane sees each case.
        float[] input = Enumerable.Range(0, n).Select(i => (i % 3 - 1) * (1 + i * 0.5f)).ToArray();
        float[] doutput = Enumerable.Range(0, n).Select(i => 10f + i).ToArray();
        var dinput = new float[n];
        var output = new float[n];
        relu.Forward(output, input, batch, null);
        relu.Backward(dinput, doutput, input, output, batch);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(input[i] > 0 ? doutput[i] : 0f, dinput[i]);
        }
    }

    [Fact]
    public void Backward_matches_finite_differences_in_double()
    {
        // Inputs kept away from 0, where ReLU has no derivative.
        double error = GradientCheck.Layer(new Relu<double>(), 9, 4, seed: 3, rng => (rng.NextDouble() < 0.5 ? -1 : 1) * (0.1 + rng.NextDouble()));
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Forward_clamps_negatives_and_backward_masks_them()
    {
        var relu = new Relu<float>();
        relu.Build(4);
        float[] input = [-2, 0, 0.5f, 3], output = new float[4], dinput = new float[4];
        relu.Forward(output, input, 1, null);
        Assert.Equal([0, 0, 0.5f, 3], output);
        relu.Backward(dinput, [1, 1, 1, 1], input, output, 1);
        Assert.Equal([0, 0, 1, 1], dinput);
    }
}
