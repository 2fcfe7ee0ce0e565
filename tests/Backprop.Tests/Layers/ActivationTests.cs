using Backprop.Layers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Layers;

public class ActivationTests
{
    public static TheoryData<string> Names => ["relu", "leaky", "tanh", "sigmoid", "gelu", "dropout-inference"];

    private static ILayer<double> Create(string name) => name switch
    {
        "relu" => new Relu<double>(),
        "leaky" => new LeakyRelu<double>(0.1),
        "tanh" => new Tanh<double>(),
        "sigmoid" => new Sigmoid<double>(),
        "gelu" => new Gelu<double>(),
        "dropout-inference" => new Dropout<double>(0.3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_matches_finite_differences(string name)
    {
        // Inputs kept away from 0, where ReLU-like layers have a kink the central difference would straddle, and from GELU's
        // minimum at −0.7518, where its derivative is near zero and the difference's rounding noise would dominate the ratio.
        static double AwayFromZero(Rng rng)
        {
            double x = 1.5 * rng.NextNormal();
            return Math.Abs(x) < 0.01 || Math.Abs(x + 0.7518) < 0.05 ? 0.5 : x;
        }
        double error = GradientCheck.Layer(Create(name), inputFeatures: 7, batch: 5, seed: 21, AwayFromZero);
        Assert.True(error < 1e-6, $"{name}: relative error {error}");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    public void Dropout_backward_matches_finite_differences_in_training(double p)
    {
        double error = GradientCheck.Layer(new Dropout<double>(p), inputFeatures: 9, batch: 4, seed: 5, trainingSeed: 77);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Dropout_zeroes_about_p_and_scales_survivors_by_one_over_one_minus_p()
    {
        var dropout = new Dropout<double>(0.25);
        _ = new Sequential<double>(1000, dropout);
        double[] input = Enumerable.Repeat(2.0, 10_000).ToArray(), output = new double[input.Length];
        dropout.Forward(output, input, batch: 10, new Rng(1));
        int zeros = output.Count(v => v == 0);
        Assert.InRange(zeros, 2300, 2700);
        Assert.All(output.Where(v => v != 0), v => Assert.Equal(2.0 / 0.75, v, 12));
        // The backward uses the very mask of the forward.
        var dinput = new double[input.Length];
        dropout.Backward(dinput, Enumerable.Repeat(1.0, input.Length).ToArray(), input, output, batch: 10);
        for (int k = 0; k < input.Length; k++) Assert.Equal(output[k] / 2, dinput[k], 12);
    }

    [Fact]
    public void Dropout_is_the_identity_at_inference()
    {
        var dropout = new Dropout<float>(0.9);
        _ = new Sequential<float>(3, dropout);
        float[] input = [1, -2, 3], output = new float[3];
        dropout.Forward(output, input, 1, training: null);
        Assert.Equal(input, output);
    }

    [Fact]
    public void Gelu_matches_pytorch_exact_form()
    {
        // torch.nn.functional.gelu(torch.tensor([-3., -1., -0.5, 0., 0.5, 1., 3.], dtype=torch.float64))
        double[] x = [-3, -1, -0.5, 0, 0.5, 1, 3];
        double[] expected = [-0.00404969409489031, -0.15865525393145702, -0.15426876936299344, 0,
            0.34573123063700656, 0.841344746068543, 2.99595030590511];
        var gelu = new Gelu<double>();
        _ = new Sequential<double>(x.Length, gelu);
        var y = new double[x.Length];
        gelu.Forward(y, x, 1, null);
        for (int i = 0; i < x.Length; i++) Assert.Equal(expected[i], y[i], 1e-12);
    }

    [Fact]
    public void Elementwise_values_by_hand()
    {
        double[] x = [-2, 0.5];
        Assert.Equal([-0.2, 0.5], Apply(new LeakyRelu<double>(0.1), x));
        Assert.Equal([Math.Tanh(-2), Math.Tanh(0.5)], Apply(new Tanh<double>(), x), (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal([1 / (1 + Math.Exp(2)), 1 / (1 + Math.Exp(-0.5))], Apply(new Sigmoid<double>(), x), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Layers_print_themselves_with_parameter_counts()
    {
        Assert.Equal("LeakyRelu(0.01)  // 0 parameters", new LeakyRelu<float>().ToString());
        Assert.Equal("Dropout(0.2)  // 0 parameters", new Dropout<float>(0.2).ToString());
        Assert.Equal("Gelu()  // 0 parameters", new Gelu<double>().ToString());
        Assert.Equal("Relu()  // 0 parameters", new Relu<double>().ToString());
    }

    [Fact]
    public void Summary_lists_layers_shapes_and_total()
    {
        var model = new Sequential<float>(4, new Dense<float>(4, 16), new Tanh<float>(), new Dense<float>(16, 3));
        string[] lines = model.Summary().Split(Environment.NewLine);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("Layer", lines[0]);
        Assert.Matches(@"^Dense\(4 → 16\)\s+\(B, 16\)\s+80$", lines[1]);
        Assert.Matches(@"^Tanh\(\)\s+\(B, 16\)\s+0$", lines[2]);
        Assert.Matches(@"^Dense\(16 → 3\)\s+\(B, 3\)\s+51$", lines[3]);
        Assert.Equal("Total parameters: 131", lines[4]);
    }

    private static double[] Apply(ILayer<double> layer, double[] x)
    {
        _ = new Sequential<double>(x.Length, layer);
        var y = new double[x.Length];
        layer.Forward(y, x, 1, null);
        return y;
    }
}
