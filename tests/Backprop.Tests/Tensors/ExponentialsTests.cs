using Backprop.Tensors;

namespace Backprop.Tests.Tensors;

public class ExponentialsTests
{
    [Fact]
    public void Float_exponentials_are_within_two_ulps_of_the_double_precision_exp()
    {
        var random = new Random(7);
        float[] x = Enumerable.Range(0, 1001).Select(_ => (float)(random.NextDouble() * 120 - 100)).ToArray();
        float[] e = (float[])x.Clone();
        Exponentials.ExpInPlace<float>(e);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)Math.Exp(x[i]);
            float ulp = MathF.BitIncrement(expected) - expected;
            Assert.True(Math.Abs(e[i] - expected) <= 2 * ulp, $"exp({x[i]:R}) = {e[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Double_exponentials_match_Math_Exp_closely()
    {
        var random = new Random(8);
        double[] x = Enumerable.Range(0, 999).Select(_ => random.NextDouble() * 1400 - 700).ToArray();
        double[] e = (double[])x.Clone();
        Exponentials.ExpInPlace<double>(e);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Math.Exp(x[i]);
            Assert.True(Math.Abs(e[i] - expected) <= 4e-16 * expected, $"exp({x[i]:R}) = {e[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void A_value_gets_the_same_bits_wherever_it_falls_in_the_span()
    {
        // The tail of a span that fills no whole vector goes through the vector routine too, so neither the position nor the
        // length changes a result: a softmax row's probabilities do not depend on the batch around it.
        float[] values = [-0.37f, -2.5f, -11.0f, 0f, -0.001f, -30.25f, -5.5f];
        float[] alone = (float[])values.Clone();
        Exponentials.ExpInPlace<float>(alone);
        for (int length = values.Length; length < 40; length++)
        {
            for (int offset = 0; offset + values.Length <= length; offset += 3)
            {
                float[] span = new float[length];
                values.CopyTo(span, offset);
                Exponentials.ExpInPlace<float>(span);
                Assert.Equal(alone, span[offset..(offset + values.Length)]);
            }
        }
    }

    [Fact]
    public void Special_values_follow_exp()
    {
        float[] x = [float.NegativeInfinity, -200f, 0f, -0f, float.NaN, 100f, float.PositiveInfinity];
        Exponentials.ExpInPlace<float>(x);
        Assert.Equal([0f, 0f], x[..2]);
        // .NET's vector exp gives 1 + 1 ulp at 0 (the scalar one 1): within the bound above, and the same in every lane.
        Assert.InRange(x[2], 1f, MathF.BitIncrement(1f));
        Assert.Equal(x[2], x[3]);
        Assert.True(float.IsNaN(x[4]));
        Assert.Equal(float.PositiveInfinity, x[5]);
        Assert.Equal(float.PositiveInfinity, x[6]);
    }

    [Fact]
    public void Half_precision_takes_the_scalar_exp_lane_by_lane()
    {
        Half[] x = [(Half)0, (Half)(-1), (Half)2, (Half)(-8), (Half)1.5];
        Exponentials.ExpInPlace<Half>(x);
        Assert.Equal([Half.Exp((Half)0), Half.Exp((Half)(-1)), Half.Exp((Half)2), Half.Exp((Half)(-8)), Half.Exp((Half)1.5)], x);
    }

    [Fact]
    public void The_maximum_is_the_scalar_folds_to_the_bit_at_every_length()
    {
        // The vector pass (8 values and more) and the loop must agree with T.Max folded in order, signed zeros and infinities
        // included: the softmax losses shift by it, and a different shift would change every probability's bits.
        var random = new Random(11);
        for (int length = 1; length <= 70; length++)
        {
            float[] values = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 40 - 30)).ToArray();
            AssertFoldEquals(values);
            values[random.Next(length)] = float.NegativeInfinity;
            AssertFoldEquals(values);
            float[] zeros = Enumerable.Range(0, length).Select(i => i % 3 == 0 ? 0f : -0f).ToArray();
            AssertFoldEquals(zeros);
            AssertFoldEquals(Enumerable.Repeat(-0f, length).ToArray());
            double[] wide = Enumerable.Range(0, length).Select(_ => random.NextDouble() * 1e6 - 5e5).ToArray();
            double fold = wide[0];
            for (int i = 1; i < length; i++) fold = Math.Max(fold, wide[i]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(fold), BitConverter.DoubleToInt64Bits(Exponentials.Max<double>(wide)));
            if (length > 1)
            {
                values[random.Next(length)] = float.NaN;
                Assert.True(float.IsNaN(Exponentials.Max<float>(values)), $"a NaN among {length} values");
            }
        }

        static void AssertFoldEquals(float[] values)
        {
            float fold = values[0];
            for (int i = 1; i < values.Length; i++) fold = MathF.Max(fold, values[i]);
            Assert.Equal(BitConverter.SingleToInt32Bits(fold), BitConverter.SingleToInt32Bits(Exponentials.Max<float>(values)));
        }
    }
}
