using Backprop.Layers;
using Backprop.Optimizers;
using Backprop.Tensors;

namespace Backprop.Tests.Optimizers;

/// <summary>Per-range learning rates: a scaled range steps exactly as an optimizer of its own at the scaled rate would.</summary>
public class LearningRateScaleTests
{
    public static TheoryData<string> Kinds => ["sgd", "momentum", "adam", "adamw"];

    private static Optimizer<double> Create(string kind, double lr) => kind switch
    {
        "sgd" => new Sgd<double>(new SgdOptions(lr)),
        "momentum" => new Sgd<double>(new SgdOptions(lr, Momentum: 0.9, WeightDecay: 0.01)),
        "adam" => new Adam<double>(new AdamOptions(lr, Beta2: 0.95, WeightDecay: 0.01)),
        _ => new AdamW<double>(new AdamOptions(lr, WeightDecay: 0.05)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_scaled_range_steps_as_its_own_optimizer_at_the_scaled_rate(string kind)
    {
        const int n = 50;
        var rng = new Rng(3);
        double[] start = [.. Enumerable.Range(0, n).Select(_ => rng.NextNormal())];
        double[][] gradients = [.. Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray())];

        // One optimizer over the block, with [10, 30) at a quarter of the rate and [40, 45) at three times it.
        double[] together = (double[])start.Clone();
        Optimizer<double> scaled = Create(kind, 0.1);
        scaled.LearningRateScales = [new LearningRateScale(40, 5, 3), new LearningRateScale(10, 20, 0.25)];
        // Against one optimizer per range, each at its own rate.
        (int Start, int End, double Rate)[] ranges = [(0, 10, 0.1), (10, 30, 0.025), (30, 40, 0.1), (40, 45, 0.1 * 3), (45, 50, 0.1)];
        double[] apart = (double[])start.Clone();
        Optimizer<double>[] separate = [.. ranges.Select(r => Create(kind, r.Rate))];
        foreach (double[] g in gradients)
        {
            scaled.Step(together, g);
            for (int k = 0; k < ranges.Length; k++)
            {
                (int s, int e, _) = ranges[k];
                separate[k].Step(apart.AsSpan(s, e - s), g.AsSpan(s, e - s));
            }
        }
        Assert.Equal(apart, together);
        Assert.NotEqual(start, together);
    }

    [Fact]
    public void Overlapping_or_negative_ranges_are_refused()
    {
        var adam = new Adam<float>();
        Assert.Throws<ArgumentException>(() => adam.LearningRateScales = [new LearningRateScale(0, 10, 1), new LearningRateScale(5, 10, 1)]);
        Assert.Throws<ArgumentException>(() => adam.LearningRateScales = [new LearningRateScale(-1, 10, 1)]);
        Assert.Throws<ArgumentException>(() => adam.LearningRateScales = [new LearningRateScale(0, 10, double.NaN)]);
    }

    [Fact]
    public void Ntk_rates_divide_weights_by_the_root_of_their_fan_in()
    {
        Sequential<float> network = Mlp.Create<float>(16, [64], 3, featureScale: true);
        LearningRateScale[] rates = NtkLearningRates.For(network);
        // FeatureScale (16), Dense 16→64 weight and bias, Dense 64→3 weight and bias, in block order.
        Assert.Equal(
        [
            new LearningRateScale(0, 16, 6),
            new LearningRateScale(16, 64 * 16, 0.25),
            new LearningRateScale(16 + 64 * 16, 64, 0.1),
            new LearningRateScale(16 + 64 * 16 + 64, 3 * 64, 0.125),
            new LearningRateScale(16 + 64 * 16 + 64 + 3 * 64, 3, 0.1),
        ], rates);
        Assert.Equal(network.ParameterCount, rates[^1].Offset + rates[^1].Length);
    }
}
