using Backprop.Layers;
using Backprop.Losses;
using Backprop.Tensors;

namespace Backprop.Tests.Layers;

public class GroupedDenseTests
{
    private static double[] Normals(Rng rng, int count) => Enumerable.Range(0, count).Select(_ => rng.NextNormal()).ToArray();

    private static void Close(IEnumerable<double> expected, IEnumerable<double> actual, double tolerance)
    {
        double[] e = [.. expected], a = [.. actual];
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"element {i}: expected {e[i]}, received {a[i]}");
    }

    [Theory]
    [InlineData(1, 1, 3, 2)]
    [InlineData(4, 3, 5, 2)]
    [InlineData(7, 2, 1, 4)]
    public void Backward_matches_finite_differences(int batch, int groups, int inputs, int outputs)
    {
        double error = GradientCheck.Layer(new GroupedDense<double>(groups, inputs, outputs), groups * inputs, batch, seed: 17);
        Assert.True(error < 1e-7, $"relative error {error}");
    }

    [Fact]
    public void Gradients_through_an_ensemble_network_match_finite_differences()
    {
        // The shape Mlp builds for three members: a shared first layer of all members' units, then grouped layers.
        Sequential<double> model = Mlp.Create<double>(4, [5, 3], 2, Activation.Tanh, members: 3);
        Assert.IsType<Dense<double>>(model.Layers[0]);
        Assert.IsType<GroupedDense<double>>(model.Layers[2]);
        Assert.IsType<GroupedDense<double>>(model.Layers[^1]);
        var rng = new Rng(8);
        model.ResetParameters(rng);
        double error = GradientCheck.Model(model, new MeanSquaredError<double>(), Normals(rng, 6 * 4), Normals(rng, 6 * 6), batch: 6);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Theory]
    [InlineData(1, 3, 4, 2)]
    [InlineData(9, 3, 4, 2)]
    [InlineData(32, 3, 40, 16)] // every product of a group large enough for the packed path
    [InlineData(32, 5, 100, 1)] // a regression ensemble's output layer
    public void It_computes_what_a_dense_layer_with_the_block_diagonal_weight_does(int batch, int groups, int inputs, int outputs)
    {
        // Same input, output gradient and (block-diagonal) weights: same output, input gradient and, on the blocks, weight gradients.
        var grouped = new GroupedDense<double>(groups, inputs, outputs);
        var dense = new Dense<double>(groups * inputs, groups * outputs);
        var groupedModel = new Sequential<double>(groups * inputs, grouped);
        var denseModel = new Sequential<double>(groups * inputs, dense);
        var rng = new Rng(4);
        groupedModel.ResetParameters(rng);
        dense.Weight.Clear();
        for (int g = 0; g < groups; g++)
        {
            for (int r = 0; r < outputs; r++)
            {
                grouped.Weight(g).Slice(r * inputs, inputs).CopyTo(dense.Weight.Slice((g * outputs + r) * groups * inputs + g * inputs, inputs));
            }
            grouped.Bias(g).CopyTo(dense.Bias.Slice(g * outputs, outputs));
        }
        double[] x = Normals(rng, batch * groups * inputs), dy = Normals(rng, batch * groups * outputs);
        double[] y1 = new double[dy.Length], y2 = new double[dy.Length], dx1 = new double[x.Length], dx2 = new double[x.Length];
        grouped.Forward(y1, x, batch, null);
        dense.Forward(y2, x, batch, null);
        Close(y2, y1, 1e-12);
        grouped.Backward(dx1, dy, x, y1, batch);
        dense.Backward(dx2, dy, x, y2, batch);
        Close(dx2, dx1, 1e-12);
        for (int g = 0; g < groups; g++)
        {
            for (int r = 0; r < outputs; r++)
            {
                Close(dense.WeightGradient.Slice((g * outputs + r) * groups * inputs + g * inputs, inputs).ToArray(),
                    grouped.WeightGradient(g).Slice(r * inputs, inputs).ToArray(), 1e-12);
            }
            Close(dense.BiasGradient.Slice(g * outputs, outputs).ToArray(), grouped.BiasGradient(g).ToArray(), 1e-12);
        }
    }

    [Fact]
    public void Each_group_is_initialized_as_a_dense_layer_of_its_fan_in()
    {
        // PyTorch's init draws U(−1/√I, 1/√I) for each group's weights and biases; zeros stays zeros.
        var grouped = new GroupedDense<float>(4, 25, 3);
        _ = new Sequential<float>(100, grouped);
        grouped.ResetParameters(new Rng(1));
        for (int g = 0; g < 4; g++)
        {
            Assert.All(grouped.Weight(g).ToArray(), w => Assert.InRange(w, -0.2f, 0.2f));
            Assert.Contains(grouped.Weight(g).ToArray(), w => Math.Abs(w) > 0.1f);
        }
        var zero = new GroupedDense<float>(2, 5, 3, Initialization.Zeros);
        var model = new Sequential<float>(10, zero);
        zero.ResetParameters(new Rng(1));
        Assert.All(model.Parameters, p => Assert.Equal(0f, p));
    }

    [Fact]
    public void Float32_matches_float64()
    {
        const int batch = 5, groups = 3, inputs = 6, outputs = 4;
        var g64 = new GroupedDense<double>(groups, inputs, outputs);
        var g32 = new GroupedDense<float>(groups, inputs, outputs);
        var m64 = new Sequential<double>(groups * inputs, g64);
        var m32 = new Sequential<float>(groups * inputs, g32);
        m64.ResetParameters(new Rng(2));
        for (int i = 0; i < m64.Parameters.Length; i++) m32.Parameters[i] = (float)m64.Parameters[i];
        var rng = new Rng(3);
        double[] x = Normals(rng, batch * groups * inputs), dy = Normals(rng, batch * groups * outputs);
        double[] y64 = new double[dy.Length], dx64 = new double[x.Length];
        float[] y32 = new float[dy.Length], dx32 = new float[x.Length];
        g64.Forward(y64, x, batch, null);
        g32.Forward(y32, x.Select(v => (float)v).ToArray(), batch, null);
        g64.Backward(dx64, dy, x, y64, batch);
        g32.Backward(dx32, dy.Select(v => (float)v).ToArray(), x.Select(v => (float)v).ToArray(), y32, batch);
        Close(y64, y32.Select(v => (double)v), 1e-5);
        Close(dx64, dx32.Select(v => (double)v), 1e-5);
        Close(m64.Gradients, m32.Gradients.Select(v => (double)v), 1e-5);
    }

    [Fact]
    public void An_ensemble_step_allocates_nothing()
    {
        // Forward, the ensemble loss and backward of a three-member network, after a warm-up step (compiling, the first
        // rented scratch, the loss's repeated-target buffer).
        const int batch = 8;
        Sequential<float> model = Mlp.Create<float>(5, [7], 3, members: 3);
        model.ResetParameters(new Rng(1));
        var loss = new EnsembleLoss<float>(new SoftmaxCrossEntropy<float>(), 3, 3, MemberAverage.SoftmaxProbabilities);
        Workspace<float> workspace = model.CreateWorkspace(batch);
        float[] x = Enumerable.Range(0, batch * 5).Select(i => (float)Math.Sin(i)).ToArray();
        float[] targets = Enumerable.Range(0, batch).Select(i => (float)(i % 3)).ToArray();
        void Step()
        {
            model.ZeroGradients();
            ReadOnlySpan<float> output = model.Forward(workspace, x, batch);
            loss.ForwardBackward(workspace.LossGradient(batch), output, targets, [], batch);
            model.Backward(workspace, x, batch);
        }
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_width_that_does_not_fit_is_refused()
    {
        var grouped = new GroupedDense<float>(3, 4, 2);
        Assert.Throws<ArgumentException>(() => new Sequential<float>(11, grouped));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GroupedDense<float>(0, 4, 2));
        Assert.Equal("GroupedDense(3 × 4 → 2)  // 30 parameters", grouped.ToString());
    }
}
