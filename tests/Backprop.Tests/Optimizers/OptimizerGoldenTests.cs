using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>Three steps of every optimizer against PyTorch 1.13, in float64.</summary>
/// <remarks>The expected values are printed by <c>tests/golden/optimizers.py</c> (run it with /usr/bin/python3 to regenerate).</remarks>
public class OptimizerGoldenTests
{
    private static readonly double[] Parameters = [0.5, -1.2, 3.0, 0.0, -0.07];

    private static readonly double[][] Gradients =
    [
        [0.1, -0.3, 2.0, 0.0, 1.5],
        [-0.2, 0.4, 1.0, 0.3, -2.5],
        [0.05, 0.05, -0.5, -1.0, 0.7],
    ];

    // Output of tests/golden/optimizers.py.
    private static readonly Dictionary<string, double[]> Expected = new()
    {
        ["sgd"] = [0.505, -1.2149999999999999, 2.7499999999999996, 0.07, -0.040000000000000015],
        ["sgd_momentum"] = [0.5059, -1.1996999999999998, 2.318, 0.043000000000000003, -0.07150000000000004],
        ["sgd_nesterov_decay"] = [0.5063231619805, -1.2052522155992, 2.1145139316229997, 0.10880830000000001, -0.04014637192987009],
        ["sgd_dampening_decay"] = [0.491231371875, -1.1667847709999999, 2.3245443962500003, 0.0415215, -0.0908566179125],
        ["adam_default"] = [0.49950279425660216, -1.19940595833273, 2.9975041589998046, -0.0002974514608773078, -0.07063502223915331],
        ["adam_decay"] = [0.3965501279441451, -1.0795938867701278, 2.7451042707362605, -0.026774480594318834, -0.12575234388119047],
        ["adamw_default"] = [0.49948781074546467, -1.1993699767575243, 2.9974141892214985, -0.00029744401950942284, -0.07063290519586542],
        ["adamw_decay"] = [0.3868864071657887, -0.9782282809296883, 2.3369517980962624, -0.026024462145246736, -0.11523627999704603],
    };

    private static Optimizer<double> Create(string name) => name switch
    {
        "sgd" => new Sgd<double>(0.1),
        "sgd_momentum" => new Sgd<double>(new SgdOptions(0.1, Momentum: 0.9)),
        "sgd_nesterov_decay" => new Sgd<double>(new SgdOptions(0.1, Momentum: 0.9, Nesterov: true, WeightDecay: 0.01)),
        "sgd_dampening_decay" => new Sgd<double>(new SgdOptions(0.1, Momentum: 0.8, Dampening: 0.1, WeightDecay: 0.05)),
        "adam_default" => new Adam<double>(),
        "adam_decay" => new Adam<double>(new AdamOptions(0.1, Beta1: 0.8, Beta2: 0.99, Epsilon: 1e-6, WeightDecay: 0.1)),
        "adamw_default" => new AdamW<double>(),
        "adamw_decay" => new AdamW<double>(new AdamOptions(0.1, WeightDecay: 0.5)),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> Names => [.. Expected.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Three_steps_match_pytorch(string name)
    {
        Optimizer<double> optimizer = Create(name);
        double[] theta = (double[])Parameters.Clone();
        foreach (double[] gradient in Gradients)
        {
            optimizer.Step(theta, gradient);
        }
        for (int i = 0; i < theta.Length; i++)
        {
            Assert.True(Math.Abs(theta[i] - Expected[name][i]) <= 1e-6, $"{name}[{i}]: {theta[i]} vs PyTorch {Expected[name][i]}");
        }
        Assert.Equal(3, optimizer.StepCount);
    }

    [Fact]
    public void Float32_follows_float64_closely()
    {
        var optimizer = new AdamW<float>(new AdamOptions(0.1, WeightDecay: 0.5));
        float[] theta = Parameters.Select(p => (float)p).ToArray();
        foreach (double[] gradient in Gradients)
        {
            optimizer.Step(theta, gradient.Select(g => (float)g).ToArray());
        }
        for (int i = 0; i < theta.Length; i++) Assert.Equal(Expected["adamw_decay"][i], theta[i], 1e-5);
    }

    [Fact]
    public void State_lives_in_one_block_of_slots_times_parameters()
    {
        var adam = new Adam<double>();
        adam.Step(new double[5], new double[5]);
        Assert.Equal(10, adam.State.Length);
        var sgd = new Sgd<double>(new SgdOptions(Momentum: 0.5));
        sgd.Step(new double[5], new double[5]);
        Assert.Equal(5, sgd.State.Length);
        Assert.Empty(new Sgd<double>(0.1).State);
    }

    [Fact]
    public void Bad_options_are_rejected_with_their_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>(new AdamOptions(Beta1: 1.0)));
        Assert.Contains("Beta1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(new SgdOptions(LearningRate: 0)));
        Assert.Throws<ArgumentException>(() => new Sgd<double>(new SgdOptions(Nesterov: true)));
    }
}
