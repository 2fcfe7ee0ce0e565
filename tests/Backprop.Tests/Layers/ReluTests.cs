using Backprop.Layers;

namespace Backprop.Tests.Layers;

public class ReluTests
{
    [Fact]
    public void Backward_matches_finite_differences()
    {
        // Inputs kept away from 0, where ReLU has no derivative and a finite difference straddles the kink.
        double error = GradientCheck.Layer(new Relu<double>(), inputFeatures: 7, batch: 3, seed: 5,
            inputDraw: rng => (rng.NextDouble() < 0.5 ? -1 : 1) * (0.1 + rng.NextDouble()));
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
