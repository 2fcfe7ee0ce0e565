using Backprop.Layers;
using Backprop.Losses;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

public class SequentialTests
{
    [Fact]
    public void Whole_two_layer_network_gradient_matches_finite_differences()
    {
        var rng = new Rng(21);
        var model = new Sequential<double>(4, new Dense<double>(4, 16), new Relu<double>(), new Dense<double>(16, 3));
        model.ResetParameters(rng);
        const int batch = 6;
        double[] input = Enumerable.Range(0, batch * 4).Select(_ => rng.NextNormal()).ToArray();
        double[] target = [0, 1, 2, 2, 1, 0];
        double error = GradientCheck.Model(model, new SoftmaxCrossEntropy<double>(), input, target, batch);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Parameters_are_one_block_that_the_layers_slice_in_order()
    {
        var first = new Dense<float>(4, 16);
        var second = new Dense<float>(16, 3);
        var model = new Sequential<float>(4, first, new Relu<float>(), second);
        Assert.Equal(80 + 51, model.ParameterCount);
        first.Bias[0] = 7;
        second.Weight[0] = 9;
        Assert.Equal(7, model.Parameters[64]);
        Assert.Equal(9, model.Parameters[80]);
    }

    [Fact]
    public void Rejects_layers_whose_sizes_do_not_chain()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sequential<float>(4, new Dense<float>(4, 8), new Dense<float>(16, 3)));
        Assert.Contains("expected 16 input features. Received: 8", error.Message);
    }

    [Fact]
    public void Predict_equals_forward_in_chunks()
    {
        var rng = new Rng(2);
        var model = new Sequential<double>(3, new Dense<double>(3, 5), new Relu<double>(), new Dense<double>(5, 2));
        model.ResetParameters(rng);
        var inputs = new Matrix<double>(600, 3);
        for (int i = 0; i < inputs.Length; i++) inputs.Data[i] = rng.NextNormal();
        Matrix<double> predicted = model.Predict(inputs);
        var workspace = model.CreateWorkspace(600);
        Assert.Equal(model.Forward(workspace, inputs.Data, 600).ToArray(), predicted.Data);
    }
}
