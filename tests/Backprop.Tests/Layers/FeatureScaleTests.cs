using Backprop.Layers;
using Backprop.Losses;
using Backprop.Tensors;

namespace Backprop.Tests.Layers;

public class FeatureScaleTests
{
    private static double[] Normals(Rng rng, int count, double scale = 1) =>
        Enumerable.Range(0, count).Select(_ => scale * rng.NextNormal()).ToArray();

    [Theory]
    [InlineData(1, 5)]
    [InlineData(4, 7)]
    public void Backward_matches_finite_differences_at_the_initial_factors(int batch, int features)
    {
        // At its initialization every factor is 1; the input and parameter gradients are still checked element by element.
        double error = GradientCheck.Layer(new FeatureScale<double>(features), features, batch, seed: 13);
        Assert.True(error < 1e-7, $"relative error {error}");
    }

    [Fact]
    public void Gradients_through_a_network_match_finite_differences_with_random_factors()
    {
        // Between two dense layers, so the first one's weight gradients go through this layer's dinput: both of its gradients
        // (dinput and dweight) are checked, with factors far from 1 and of both signs.
        var scale = new FeatureScale<double>(6);
        var model = new Sequential<double>(3, new Dense<double>(3, 6), scale, new Selu<double>(), new Dense<double>(6, 2));
        var rng = new Rng(5);
        model.ResetParameters(rng);
        Normals(rng, 6, 2).CopyTo(scale.Weight);
        double error = GradientCheck.Model(model, new MeanSquaredError<double>(), Normals(rng, 4 * 3), Normals(rng, 4 * 2), batch: 4);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Forward_and_backward_by_hand()
    {
        var scale = new FeatureScale<double>(3);
        var model = new Sequential<double>(3, scale);
        double[] weight = [2, -0.5, 0];
        weight.CopyTo(scale.Weight);
        double[] x = [1, 2, 3, -4, 5, 6], y = new double[6], dy = [1, 1, 1, 0.5, -1, 2], dx = new double[6];
        scale.Forward(y, x, batch: 2, null);
        Assert.Equal([2, -1, 0, -8, -2.5, 0], y);
        scale.Backward(dx, dy, x, y, batch: 2);
        // dinput = doutput ⊙ weight;  dweight = Σ_b doutput ⊙ input = [1 − 2, 2 − 5, 3 + 12]
        Assert.Equal([2, -0.5, 0, 1, 0.5, 0], dx);
        Assert.Equal([-1, -3, 15], model.Gradients);
        // Accumulated, not overwritten; and an empty dinput skips only the input gradient.
        scale.Backward(Span<double>.Empty, dy, x, y, batch: 2);
        Assert.Equal([-2, -6, 30], model.Gradients);
    }

    [Fact]
    public void Initialization_is_one_and_draws_nothing_from_the_generator()
    {
        // The same seed gives the dense layers the same weights with or without a FeatureScale in front, and leaves the
        // generator in the same state: inserting the layer changes nothing else about a run.
        var withScale = new Sequential<float>(4, new FeatureScale<float>(4), new Dense<float>(4, 8), new Relu<float>(), new Dense<float>(8, 3));
        var without = new Sequential<float>(4, new Dense<float>(4, 8), new Relu<float>(), new Dense<float>(8, 3));
        Rng a = new(42), b = new(42);
        withScale.ResetParameters(a);
        without.ResetParameters(b);
        Assert.Equal([1f, 1f, 1f, 1f], ((FeatureScale<float>)withScale.Layers[0]).Weight.ToArray());
        Assert.Equal(without.Parameters, withScale.Parameters[4..]);
        Assert.Equal(b.GetState(), a.GetState());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Float32_matches_float64(int batch)
    {
        const int features = 13;
        var rng = new Rng(3);
        double[] weight = Normals(rng, features, 3).Select(v => (double)(float)v).ToArray();
        double[] x = Normals(rng, batch * features, 10).Select(v => (double)(float)v).ToArray();
        double[] dy = Normals(rng, batch * features).Select(v => (double)(float)v).ToArray();
        (double[] y64, double[] dx64, double[] dw64) = Step(weight, x, dy, batch);
        (float[] y32, float[] dx32, float[] dw32) = Step(ToFloat(weight), ToFloat(x), ToFloat(dy), batch);
        // One rounding per product, and for dweight one per added row.
        Elementwise.AssertClose(y64, ToDouble(y32), 6e-8, "output");
        Elementwise.AssertClose(dx64, ToDouble(dx32), 6e-8, "dinput");
        for (int i = 0; i < features; i++)
        {
            double bound = 6e-8 * batch * Enumerable.Range(0, batch).Sum(b => Math.Abs(dy[b * features + i] * x[b * features + i]));
            Assert.True(Math.Abs(dw32[i] - dw64[i]) <= bound, $"dweight[{i}]: {dw32[i]} against {dw64[i]}");
        }
    }

    [Fact]
    public void One_row_at_a_time_gives_the_batched_results_bit_for_bit()
    {
        // The factor gradient sums rows in order whatever the batch size, so per-sample training and batches agree exactly.
        const int features = 21, batch = 5;
        var rng = new Rng(8);
        float[] weight = ToFloat(Normals(rng, features)), x = ToFloat(Normals(rng, batch * features)), dy = ToFloat(Normals(rng, batch * features));
        (float[] y, float[] dx, float[] dw) = Step(weight, x, dy, batch);
        var scale = new FeatureScale<float>(features);
        var model = new Sequential<float>(features, scale);
        weight.CopyTo(scale.Weight);
        float[] y1 = new float[y.Length], dx1 = new float[dx.Length];
        for (int b = 0; b < batch; b++)
        {
            Range row = (b * features)..((b + 1) * features);
            scale.Forward(y1.AsSpan(row), x.AsSpan(row), 1, null);
            scale.Backward(dx1.AsSpan(row), dy.AsSpan(row), x.AsSpan(row), y1.AsSpan(row), 1);
        }
        Assert.Equal(y, y1);
        Assert.Equal(dx, dx1);
        Assert.Equal(dw, model.Gradients);
    }

    [Fact]
    public void A_step_allocates_nothing()
    {
        const int features = 9, batch = 4;
        var scale = new FeatureScale<float>(features);
        var model = new Sequential<float>(features, scale);
        model.ResetParameters(new Rng(1));
        float[] x = new float[batch * features], dy = new float[x.Length], y = new float[x.Length], dx = new float[x.Length];
        Array.Fill(x, 0.5f);
        Array.Fill(dy, -2f);
        scale.Forward(y, x, batch, null); // warm-up: the first call compiles the layer's code
        scale.Backward(dx, dy, x, y, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        scale.Forward(y, x, batch, null);
        scale.Backward(dx, dy, x, y, batch);
        scale.Forward(y, x, 1, null);
        scale.Backward(Span<float>.Empty, dy, x, y, 1);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Refuses_another_width_and_running_unbound()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureScale<float>(0));
        var scale = new FeatureScale<float>(4);
        Assert.Contains("expected 4 input features. Received: 5", Assert.Throws<ArgumentException>(() => new Sequential<float>(5, scale)).Message);
        Assert.Throws<InvalidOperationException>(() => scale.Forward(new float[4], new float[4], 1, null));
        Assert.Throws<ArgumentException>(() => scale.Bind(new float[6], new float[6], 3));
        Assert.Equal(4, new Sequential<float>(4, scale).ParameterCount);
    }

    [Fact]
    public void Prints_itself_with_its_parameter_count() =>
        Assert.Equal("FeatureScale(8)  // 8 parameters", new FeatureScale<float>(8).ToString());

    // One forward and backward of a fresh layer with the given factors; returns output, dinput and the factor gradient.
    private static (T[] Output, T[] Dinput, T[] Dweight) Step<T>(T[] weight, T[] x, T[] dy, int batch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var scale = new FeatureScale<T>(weight.Length);
        var model = new Sequential<T>(weight.Length, scale);
        weight.CopyTo(scale.Weight);
        T[] y = new T[x.Length], dx = new T[x.Length];
        scale.Forward(y, x, batch, null);
        scale.Backward(dx, dy, x, y, batch);
        return (y, dx, model.Gradients);
    }

    private static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();

    private static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();
}
