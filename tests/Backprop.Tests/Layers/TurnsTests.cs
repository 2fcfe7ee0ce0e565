using Backprop.Layers;

namespace Backprop.Tests.Layers;

public class TurnsTests
{
    // Turns across many whole turns, exact halves and quarters, tiny and negative values, and a length with a partial last vector.
    private static readonly double[] Values = [.. Enumerable.Range(0, 1001).Select(i => (i - 500) * 0.0137), 0.5, -0.5, 0.25, 0.75, 1e-9, -3.999999, 1234.5678];

    [Fact]
    public void Double_cosine_and_sine_are_accurate_to_a_few_units_in_the_last_place()
    {
        double[] cos = new double[Values.Length], sin = new double[Values.Length];
        Turns.CosSin<double>(Values, cos, sin);
        for (int i = 0; i < Values.Length; i++)
        {
            // The reference reduces the turn exactly too (2π·t itself would carry an error of ulps of the product).
            double angle = 2 * Math.PI * (Values[i] - Math.Round(Values[i]));
            Assert.True(Math.Abs(cos[i] - Math.Cos(angle)) < 2e-15, $"cos at {Values[i]}: {cos[i]} vs {Math.Cos(angle)}");
            Assert.True(Math.Abs(sin[i] - Math.Sin(angle)) < 2e-15, $"sin at {Values[i]}: {sin[i]} vs {Math.Sin(angle)}");
        }
    }

    [Fact]
    public void Float_cosine_and_sine_are_accurate_to_float_precision_and_may_overwrite_the_input()
    {
        float[] turns = Values.Select(v => (float)v).ToArray(), sin = new float[turns.Length];
        float[] cos = (float[])turns.Clone();
        Turns.CosSin<float>(cos, cos, sin);
        for (int i = 0; i < turns.Length; i++)
        {
            double angle = 2 * Math.PI * (turns[i] - Math.Round((double)turns[i]));
            Assert.True(Math.Abs(cos[i] - Math.Cos(angle)) < 5e-7, $"cos at {turns[i]}");
            Assert.True(Math.Abs(sin[i] - Math.Sin(angle)) < 5e-7, $"sin at {turns[i]}");
        }
    }
}
