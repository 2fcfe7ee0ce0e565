using Backprop.Layers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Layers;

public class DenseTests
{
    [Theory]
    [InlineData(1, 4, 16)]
    [InlineData(5, 3, 7)]
    [InlineData(8, 16, 3)]
    public void Backward_matches_finite_differences(int batch, int inputs, int outputs)
    {
        double error = GradientCheck.Layer(new Dense<double>(inputs, outputs), inputs, batch, seed: 11);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Forward_is_input_times_weight_transposed_plus_bias()
    {
        var dense = new Dense<double>(2, 3);
        var model = new Sequential<double>(2, dense);
        // weight (O=3, I=2), bias (3)
        double[] weight = [1, 2, 3, 4, 5, 6];
        double[] bias = [0.5, -1, 2];
        weight.CopyTo(dense.Weight);
        bias.CopyTo(dense.Bias);
        var output = new double[2 * 3];
        dense.Forward(output, [1, -1, 2, 0.5], batch: 2, null);
        // row 0: [1·1 + −1·2, 1·3 + −1·4, 1·5 + −1·6] + bias = [−0.5, −2, 1]
        // row 1: [2·1 + 0.5·2, 2·3 + 0.5·4, 2·5 + 0.5·6] + bias = [3.5, 7, 15]
        Assert.Equal([-0.5, -2, 1, 3.5, 7, 15], output);
        Assert.Equal(3 * 2 + 3, model.ParameterCount);
    }

    [Fact]
    public void Backward_accumulates_parameter_gradients()
    {
        var dense = new Dense<double>(2, 2);
        var model = new Sequential<double>(2, dense);
        model.ResetParameters(new Rng(1));
        double[] input = [1, 2], doutput = [1, -1], output = new double[2];
        dense.Forward(output, input, 1, null);
        dense.Backward(Span<double>.Empty, doutput, input, output, 1);
        double[] once = (double[])model.Gradients.Clone();
        dense.Backward(Span<double>.Empty, doutput, input, output, 1);
        Assert.Equal(once.Select(g => 2 * g), model.Gradients);
        // dweight = doutputᵀ · input = [[1, 2], [−1, −2]], dbias = doutput
        Assert.Equal([1, 2, -1, -2, 1, -1], once);
    }

    [Fact]
    public void PyTorch_initialization_is_bounded_by_one_over_sqrt_fan_in()
    {
        var dense = new Dense<double>(100, 50);
        _ = new Sequential<double>(100, dense);
        dense.ResetParameters(new Rng(3));
        Assert.All(dense.Weight.ToArray(), w => Assert.InRange(w, -0.1, 0.1));
        Assert.All(dense.Bias.ToArray(), b => Assert.InRange(b, -0.1, 0.1));
        Assert.True(dense.Weight.ToArray().Max() > 0.09, "uniform draws should come near the bound");
    }

    [Fact]
    public void Normal_initialization_has_unit_variance()
    {
        var dense = new Dense<double>(100, 100, Initialization.Normal);
        _ = new Sequential<double>(100, dense);
        dense.ResetParameters(new Rng(3));
        double[] w = dense.Weight.ToArray();
        double mean = w.Average(), variance = w.Select(x => (x - mean) * (x - mean)).Average();
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(variance, 0.95, 1.05);
    }

    [Theory]
    [InlineData(5, 7)]
    [InlineData(4, 16)]
    [InlineData(33, 3)]
    [InlineData(8, 5)]
    [InlineData(21, 6)]
    [InlineData(40, 9)]
    public void Per_sample_path_gives_the_batched_results_bit_for_bit(int inputs, int outputs)
    {
        // Batch 1 skips Gemm for a dedicated path; it must agree exactly with the same rows run as one batch.
        const int batch = 3;
        var rng = new Rng(8);
        var batched = new Dense<float>(inputs, outputs);
        var single = new Dense<float>(inputs, outputs);
        var batchedModel = new Sequential<float>(inputs, batched);
        var singleModel = new Sequential<float>(inputs, single);
        batchedModel.ResetParameters(rng);
        batchedModel.Parameters.CopyTo(singleModel.Parameters, 0);
        float[] x = Enumerable.Range(0, batch * inputs).Select(_ => (float)rng.NextNormal()).ToArray();
        float[] dy = Enumerable.Range(0, batch * outputs).Select(_ => (float)rng.NextNormal()).ToArray();

        float[] y = new float[batch * outputs], dx = new float[batch * inputs];
        var training = new Rng(1); // the per-sample path is training's; inference takes Gemm's batch-invariant choice
        batched.Forward(y, x, batch, training);
        batched.Backward(dx, dy, x, y, batch);
        float[] y1 = new float[batch * outputs], dx1 = new float[batch * inputs];
        for (int b = 0; b < batch; b++)
        {
            single.Forward(y1.AsSpan(b * outputs, outputs), x.AsSpan(b * inputs, inputs), 1, training);
            single.Backward(dx1.AsSpan(b * inputs, inputs), dy.AsSpan(b * outputs, outputs), x.AsSpan(b * inputs, inputs),
                y1.AsSpan(b * outputs, outputs), 1);
        }
        Assert.Equal(y, y1);
        Assert.Equal(dx, dx1);
        Assert.Equal(batchedModel.Gradients, singleModel.Gradients);
    }

    [Fact]
    public void Per_sample_path_refuses_a_layer_without_parameters_or_short_buffers()
    {
        // The per-sample path reads the blocks through pointers, so a layer that was never bound, or bound to blocks too
        // short for it, must be refused before any access.
        var unbound = new Dense<float>(4, 3);
        var output = new float[3];
        var training = new Rng(0);
        Assert.Throws<InvalidOperationException>(() => unbound.Forward(output, new float[4], 1, training));
        Assert.Throws<InvalidOperationException>(() => unbound.Forward(output, new float[4], 1, null)); // inference: Gemm's path
        Assert.Throws<InvalidOperationException>(() => unbound.Backward([], new float[3], new float[4], output, 1));

        var dense = new Dense<float>(4, 3); // 15 parameters
        Assert.Throws<ArgumentException>(() => dense.Bind(new float[15], new float[14], 0));
        Assert.Throws<ArgumentException>(() => dense.Bind(new float[20], new float[20], 6));
        Assert.Throws<ArgumentException>(() => dense.Bind(new float[20], new float[20], -1));
        dense.Bind(new float[20], new float[20], 5);
        Assert.Throws<ArgumentException>(() => dense.Forward(output, new float[3], 1, training));
        Assert.Throws<ArgumentException>(() => dense.Forward(output, new float[3], 1, null));
        Assert.Throws<ArgumentException>(() => dense.Backward(new float[3], new float[3], new float[4], output, 1));
    }

    [Fact]
    public void Prints_itself_with_its_parameter_count() =>
        Assert.Equal("Dense(4 → 16)  // 80 parameters", new Dense<float>(4, 16).ToString());
}
