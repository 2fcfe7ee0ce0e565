using Backprop.Losses;
using Backprop.Tensors;

namespace Backprop.Tests.Losses;

public class LossTests
{
    // Golden values from PyTorch 1.13 (float64), torch.nn.functional.* with mean reduction; inputs as below.
    private static readonly double[] Logits = [1.0, -0.5, 2.0, 0.3, 0.1, -1.2, -2.0, 0.5, 0.7];
    private static readonly double[] Labels = [2, 0, 1];
    private static readonly double[] ClassWeight = [0.5, 2.0, 1.5];

    [Theory]
    [InlineData(true, 0.0, 0.6457720326611353)]
    [InlineData(true, 0.1, 0.7210223302814323)]
    [InlineData(false, 0.2, 0.8066083421974386)]
    public void Cross_entropy_matches_pytorch_with_class_weights_and_label_smoothing(bool weighted, double smoothing, double expected)
    {
        var loss = new SoftmaxCrossEntropy<double>(weighted ? ClassWeight : null, smoothing);
        Assert.Equal(expected, loss.Forward(Logits, Labels, [], 3), 1e-12);
    }

    [Fact]
    public void Plain_cross_entropy_by_hand()
    {
        // logits [0, ln 3] for label 1: p = [1/4, 3/4], loss = −ln(3/4)
        double loss = new SoftmaxCrossEntropy<double>().Forward([0, Math.Log(3)], [1], [], 1);
        Assert.Equal(-Math.Log(0.75), loss, 14);
    }

    [Fact]
    public void Cross_entropy_is_stable_for_huge_logits()
    {
        double loss = new SoftmaxCrossEntropy<double>(null, 0.1).Forward([1000, -1000], [0], [], 1);
        // −log p₀ = 0, −log p₁ = 2000: loss = 0.9·0 + 0.05·(0 + 2000)
        Assert.Equal(100, loss, 9);
    }

    [Fact]
    public void Binary_cross_entropy_with_logits_matches_pytorch_and_is_stable()
    {
        double[] x = [3.0, -1.0, -40.0, 0.2, 0.0, 50.0], y = [1, 0, 0, 1, 1, 0];
        Assert.Equal(8.60885584817225, new BinaryCrossEntropyWithLogits<double>().Forward(x, y, [], 3), 1e-12);
        // Far in the tails the loss is linear, never infinite.
        Assert.Equal(1000, new BinaryCrossEntropyWithLogits<double>().Forward([-1000], [1], [], 1), 9);
    }

    [Fact]
    public void Huber_and_mse_match_hand_computed_values()
    {
        double[] x = [0.2, 3.0, -1.5, 0.9], y = [0, 0.5, 0, 0];
        // d = [0.2, 2.5, −1.5, 0.9]; δ = 1: [0.02, 2, 1, 0.405] / 4
        Assert.Equal(0.85625, new Huber<double>().Forward(x, y, [], 2), 14);
        Assert.Equal(1.1375, new Huber<double>(2).Forward(x, y, [], 2), 14);
        // (0.04 + 6.25 + 2.25 + 0.81) / 4
        Assert.Equal(2.3375, new MeanSquaredError<double>().Forward(x, y, [], 2), 14);
    }

    [Fact]
    public void Per_sample_weights_give_the_weighted_mean()
    {
        double[] x = [1, 2, 4], y = [0, 0, 0], w = [1, 0, 3];
        // (1·1 + 0·4 + 3·16) / (1 + 0 + 3)
        Assert.Equal(49.0 / 4, new MeanSquaredError<double>().Forward(x, y, w, 3), 14);
        // A zero-weight sample gets no gradient.
        var d = new double[3];
        new MeanSquaredError<double>().ForwardBackward(d, x, y, w, 3);
        Assert.Equal([2.0 / 4, 0, 3 * 8.0 / 4], d);
    }

    [Fact]
    public void Class_weights_and_sample_weights_combine()
    {
        // Sample weight 2 on a sample equals that sample listed twice.
        var loss = new SoftmaxCrossEntropy<double>(ClassWeight, 0.1);
        double[] twiceLogits = [.. Logits, .. Logits[..3]];
        double duplicated = loss.Forward(twiceLogits, [.. Labels, 2], [], 4);
        Assert.Equal(duplicated, loss.Forward(Logits, Labels, [2, 1, 1], 3), 12);
    }

    public static TheoryData<string> LossNames => ["ce", "ce-weighted-smoothed", "bce", "mse", "huber"];

    [Theory]
    [MemberData(nameof(LossNames))]
    public void Gradient_matches_finite_differences(string name)
    {
        var rng = new Rng(9);
        const int batch = 6, columns = 4;
        double[] output = Enumerable.Range(0, batch * columns).Select(_ => 2 * rng.NextNormal()).ToArray();
        double[] weight = Enumerable.Range(0, batch).Select(_ => rng.NextUniform(0.2, 2)).ToArray();
        (ILoss<double> loss, double[] target) = name switch
        {
            "ce" => ((ILoss<double>)new SoftmaxCrossEntropy<double>(), Classes()),
            "ce-weighted-smoothed" => (new SoftmaxCrossEntropy<double>([0.5, 1, 2, 3], 0.15), Classes()),
            "bce" => (new BinaryCrossEntropyWithLogits<double>(), Values(v => v > 0 ? 1 : 0)),
            "mse" => (new MeanSquaredError<double>(), Values(v => v)),
            "huber" => (new Huber<double>(0.7), Values(v => 3 * v)),
            _ => throw new ArgumentException(name),
        };
        Assert.True(GradientCheck.Loss(loss, output, target, [], batch) < 1e-6, $"{name} unweighted");
        Assert.True(GradientCheck.Loss(loss, output, target, weight, batch) < 1e-6, $"{name} weighted");

        double[] Classes() => Enumerable.Range(0, batch).Select(_ => (double)rng.NextInt(columns)).ToArray();
        double[] Values(Func<double, double> f) => Enumerable.Range(0, batch * columns).Select(_ => f(rng.NextNormal())).ToArray();
    }

    [Fact]
    public void Mismatched_class_weights_are_rejected()
    {
        var loss = new SoftmaxCrossEntropy<double>([1, 2], 0);
        Assert.Throws<ArgumentException>(() => loss.Forward(Logits, Labels, [], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy<double>(null, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Huber<double>(0));
    }
}
