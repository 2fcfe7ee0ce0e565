using Backprop.Layers;
using Backprop.Losses;
using Backprop.Tensors;

namespace Backprop.Tests.Layers;

public class PeriodicEmbeddingTests
{
    private static double[] Normals(Rng rng, int count) => Enumerable.Range(0, count).Select(_ => rng.NextNormal()).ToArray();

    [Theory]
    [InlineData(1, 1, 1, 1, 0.1)]
    [InlineData(3, 4, 5, 2, 0.1)]
    [InlineData(6, 2, 16, 4, 1.0)]
    public void Backward_matches_finite_differences(int batch, int features, int frequencies, int dimensions, double sigma)
    {
        double error = GradientCheck.Layer(new PeriodicEmbedding<double>(features, frequencies, dimensions, sigma), features, batch, seed: 21);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Gradients_through_a_network_match_finite_differences()
    {
        Sequential<double> model = Mlp.Create<double>(3, [6], 2, Activation.Tanh, embedding: InputEmbedding.Periodic);
        Assert.IsType<PeriodicEmbedding<double>>(model.Layers[0]);
        var rng = new Rng(4);
        model.ResetParameters(rng);
        double error = GradientCheck.Model(model, new MeanSquaredError<double>(), Normals(rng, 5 * 3), Normals(rng, 5 * 2), batch: 5);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Forward_by_hand()
    {
        // One feature, two cosines, one embedding value: output [x, c + v₀·cos(2π(w₀x + b₀)) + v₁·cos(2π(w₁x + b₁))].
        var layer = new PeriodicEmbedding<double>(1, frequencies: 2, dimensions: 1);
        _ = new Sequential<double>(1, layer);
        double[] w = [0.25, 1], b = [0, 0.5], v = [2, -1], c = [0.5];
        w.CopyTo(layer.FrequencyWeights);
        b.CopyTo(layer.Phases);
        v.CopyTo(layer.Weight);
        c.CopyTo(layer.Bias);
        double[] y = new double[4];
        layer.Forward(y, [1.0, 2.0], batch: 2, null);
        // x = 1: cos(π/2) = 0, cos(2π·1.5) = −1 → 0.5 + 0 + 1;  x = 2: cos(π) = −1, cos(2π·2.5) = −1 → 0.5 − 2 + 1
        Assert.Equal(1.0, y[0]);
        Assert.Equal(1.5, y[1], 1e-12);
        Assert.Equal(2.0, y[2]);
        Assert.Equal(-0.5, y[3], 1e-12);
    }

    [Fact]
    public void Initialization_draws_slow_frequencies_and_whole_turn_phases()
    {
        var layer = new PeriodicEmbedding<double>(50, 16, 4, sigma: 0.1);
        _ = new Sequential<double>(50, layer);
        layer.ResetParameters(new Rng(7));
        double[] w = layer.FrequencyWeights.ToArray(), b = layer.Phases.ToArray();
        double sd = Math.Sqrt(w.Select(x => x * x).Average());
        Assert.InRange(sd, 0.09, 0.11);
        Assert.All(b, x => Assert.InRange(x, -0.5, 0.5));
        Assert.All(layer.Weight.ToArray(), x => Assert.InRange(x, -0.25, 0.25));
    }

    [Fact]
    public void Float32_matches_float64()
    {
        const int batch = 4, features = 3;
        var l64 = new PeriodicEmbedding<double>(features);
        var l32 = new PeriodicEmbedding<float>(features);
        var m64 = new Sequential<double>(features, l64);
        var m32 = new Sequential<float>(features, l32);
        m64.ResetParameters(new Rng(2));
        for (int i = 0; i < m64.Parameters.Length; i++) m32.Parameters[i] = (float)m64.Parameters[i];
        var rng = new Rng(3);
        double[] x = Normals(rng, batch * features), dy = Normals(rng, batch * l64.OutputFeatures);
        double[] y64 = new double[dy.Length], dx64 = new double[x.Length];
        float[] y32 = new float[dy.Length], dx32 = new float[x.Length];
        l64.Forward(y64, x, batch, null);
        l32.Forward(y32, x.Select(v => (float)v).ToArray(), batch, null);
        l64.Backward(dx64, dy, x, y64, batch);
        l32.Backward(dx32, dy.Select(v => (float)v).ToArray(), x.Select(v => (float)v).ToArray(), y32, batch);
        for (int i = 0; i < y64.Length; i++) Assert.Equal(y64[i], y32[i], 1e-5);
        for (int i = 0; i < dx64.Length; i++) Assert.Equal(dx64[i], dx32[i], 1e-4);
        for (int i = 0; i < m64.Gradients.Length; i++) Assert.Equal(m64.Gradients[i], m32.Gradients[i], 1e-4);
    }

    [Fact]
    public void A_step_allocates_nothing()
    {
        const int batch = 8, features = 5;
        var layer = new PeriodicEmbedding<float>(features);
        _ = new Sequential<float>(features, layer);
        layer.ResetParameters(new Rng(1));
        float[] x = Enumerable.Range(0, batch * features).Select(i => (float)Math.Sin(i)).ToArray();
        float[] y = new float[batch * layer.OutputFeatures], dy = y.Select((_, i) => (float)Math.Cos(i)).ToArray(), dx = new float[x.Length];
        layer.Forward(y, x, batch, null);
        layer.Backward(dx, dy, x, y, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        layer.Forward(y, x, batch, null);
        layer.Backward(dx, dy, x, y, batch);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
