using System.Numerics;
using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Layers;

public class ActivationTests
{
    public static TheoryData<string> Names => ["relu", "leaky", "tanh", "sigmoid", "gelu", "selu", "mish", "dropout-inference"];

    private static ILayer<T> Create<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "relu" => new Relu<T>(),
        "leaky" => new LeakyRelu<T>(0.1),
        "tanh" => new Tanh<T>(),
        "sigmoid" => new Sigmoid<T>(),
        "gelu" => new Gelu<T>(),
        "selu" => new Selu<T>(),
        "mish" => new Mish<T>(),
        "dropout-inference" => new Dropout<T>(0.3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_matches_finite_differences(string name)
    {
        // Inputs kept away from 0, where ReLU-like layers (and SELU) have a kink the central difference would straddle, and
        // from the minima of GELU (−0.7518) and Mish (−1.1924), where the derivative is near zero and the difference's
        // rounding noise would dominate the ratio.
        static double AwayFromZero(Rng rng)
        {
            double x = 1.5 * rng.NextNormal();
            return Math.Abs(x) < 0.01 || Math.Abs(x + 0.7518) < 0.05 || Math.Abs(x + 1.1924) < 0.05 ? 0.5 : x;
        }
        double error = GradientCheck.Layer(Create<double>(name), inputFeatures: 7, batch: 5, seed: 21, AwayFromZero);
        Assert.True(error < 1e-6, $"{name}: relative error {error}");
    }

    [Theory]
    [InlineData("selu")]
    [InlineData("mish")]
    public void Float32_matches_float64(string name)
    {
        // Inputs exact in float32, over a wide range (|x| up to 60). Each type evaluates in its own precision with a SIMD
        // exp (TensorPrimitives.Exp, about 1 ulp) and a few roundings after it: measured over 2^20 inputs in [−50, 30], the
        // float32 values are within 4.5 ulps of the float64 ones (SELU 3.1), so 5 ulps (5 · 2^−23 relative) here. Mish's
        // derivative near its zero at x ≈ −1.1924 is a cancelling sum (t + x · …) that is only accurate to a few ulps of 1
        // there, not relative to itself; these inputs stay clear of it.
        var rng = new Rng(9);
        const int features = 11, batch = 6;
        double[] x = Enumerable.Range(0, features * batch).Select(i => (double)(float)(i % 4 == 0 ? rng.NextUniform(-60, 60) : 3 * rng.NextNormal())).ToArray();
        double[] dy = Enumerable.Range(0, x.Length).Select(_ => (double)(float)rng.NextNormal()).ToArray();
        (double[] y64, double[] dx64) = Step(Create<double>(name), features, batch, x, dy);
        (float[] y32, float[] dx32) = Step(Create<float>(name), features, batch, x.Select(v => (float)v).ToArray(), dy.Select(v => (float)v).ToArray());
        Elementwise.AssertClose(y64, y32.Select(v => (double)v).ToArray(), 6e-7, $"{name} output");
        Elementwise.AssertClose(dx64, dx32.Select(v => (double)v).ToArray(), 6e-7, $"{name} dinput");
    }

    [Fact]
    public void Gelu_in_float32_is_within_a_few_ulps_of_its_exact_float64_form()
    {
        // float32 evaluates erfc with a SIMD fit (relative 1.2e-7) and exp, float64 exactly, one element at a time. Measured
        // over 2^20 inputs in [−14, 10]: the output within 4.4 ulps of the float64 one for x ≥ −8 (14 below, where it is under
        // 1e-14), the derivative within 6 ulps away from its zero at x ≈ −0.7518 (9.8 from 0.15 away; a cancelling sum there).
        var rng = new Rng(3);
        const int features = 13, batch = 40;
        double[] x = Enumerable.Range(0, features * batch).Select(i => (double)(float)(i % 3 == 0 ? rng.NextUniform(-14, 10) : 2 * rng.NextNormal())).ToArray();
        x[0] = 0;
        x[1] = -0f;
        double[] dy = Enumerable.Range(0, x.Length).Select(_ => (double)(float)rng.NextNormal()).ToArray();
        (double[] y64, double[] dx64) = Step(Create<double>("gelu"), features, batch, x, dy);
        (float[] y32, float[] dx32) = Step(Create<float>("gelu"), features, batch, x.Select(v => (float)v).ToArray(), dy.Select(v => (float)v).ToArray());
        const double ulp = 1.0 / (1 << 23);
        for (int i = 0; i < x.Length; i++)
        {
            double outputUlps = x[i] >= -8 ? 5 : 16;
            // Below float32's smallest normal number (1.2e-38, x < −13.2) its spacing is fixed, 1.4e-45: ulps of that.
            Assert.True(Math.Abs(y32[i] - y64[i]) <= outputUlps * Math.Max(ulp * Math.Abs(y64[i]), float.Epsilon), $"output at x = {x[i]:R}: expected {y64[i]:R}. Received: {y32[i]:R}.");
            // The derivative times dy: 7 ulps of |dy| · (|Φ(x)| + |x · φ(x)|), its terms' scale (the sum cancels near −0.7518).
            double derivative = dx64[i] / dy[i], phi = y64[i] / (x[i] == 0 ? 1 : x[i]), scale = Math.Abs(x[i] == 0 ? 0.5 : phi) + Math.Abs(derivative - phi);
            Assert.True(Math.Abs(dx32[i] - dx64[i]) <= 7 * Math.Max(ulp * Math.Abs(dy[i]) * scale, float.Epsilon), $"dinput at x = {x[i]:R}: expected {dx64[i]:R}. Received: {dx32[i]:R}.");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_step_allocates_nothing(string name)
    {
        ILayer<float> layer = Create<float>(name);
        layer.Build(9);
        float[] x = Enumerable.Range(0, 4 * 9).Select(i => i * 0.37f - 6).ToArray(), dy = x.Select(v => 1 - v).ToArray();
        float[] y = new float[x.Length], dx = new float[x.Length];
        Run(layer, 4, x, dy, y, dx); // warm-up: the first call compiles the layer's code
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(layer, 4, x, dy, y, dx);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
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
    public void Every_activation_choice_has_a_layer_and_one_name()
    {
        // New choices are appended, so the values of the older ones (and any file or option that holds them) stay as they were.
        Assert.Equal([Activation.Relu, Activation.LeakyRelu, Activation.Tanh, Activation.Sigmoid, Activation.Gelu, Activation.Selu, Activation.Mish],
            Enum.GetValues<Activation>());
        Assert.Equal(["relu", "leaky-relu", "tanh", "sigmoid", "gelu", "selu", "mish"], OptionNames.All<Activation>());
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Enum.GetValues<Activation>().Select(a => (int)a));
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            ILayer<float> layer = Mlp.CreateActivation<float>(activation);
            Assert.Equal(activation.ToString(), layer.GetType().Name.Split('`')[0]);
            Assert.True(OptionNames.TryParse(OptionNames.Name(activation), out Activation parsed) && parsed == activation);
        }
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

    // One forward and backward of a parameterless layer on (batch, features).
    private static (T[] Output, T[] Dinput) Step<T>(ILayer<T> layer, int features, int batch, T[] x, T[] dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        layer.Build(features);
        return Run(layer, batch, x, dy, new T[x.Length], new T[x.Length]);
    }

    // The step itself, into buffers the caller made.
    private static (T[], T[]) Run<T>(ILayer<T> layer, int batch, T[] x, T[] dy, T[] y, T[] dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        layer.Forward(y, x, batch, null);
        layer.Backward(dx, dy, x, y, batch);
        return (y, dx);
    }

    private static double[] Apply(ILayer<double> layer, double[] x)
    {
        _ = new Sequential<double>(x.Length, layer);
        var y = new double[x.Length];
        layer.Forward(y, x, 1, null);
        return y;
    }
}
