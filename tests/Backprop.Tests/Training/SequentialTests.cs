using Backprop.Layers;
using Backprop.Losses;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

public class SequentialTests
{
    [Fact]
    public void Whole_two_layer_network_gradient_matches_finite_differences()
    {
        var rng = new Rng(21);
        var model = new Sequential<double>(4, new Dense<double>(4, 16), new Relu<double>(), new Dense<double>(16, 3));
        model.ResetParameters(rng);
        const int batch = 6;
        double[] input = Enumerable.Range(0, batch * 4).Select(_ => rng.NextNormal()).ToArray();
        double[] target = [0, 1, 2, 2, 1, 0];
        double error = GradientCheck.Model(model, new SoftmaxCrossEntropy<double>(), input, target, batch);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Theory]
    [InlineData(1)]   // the per-sample path
    [InlineData(5)]   // the direct product
    [InlineData(64)]  // the packed product, with its fused clamp
    public void Fused_dense_relu_gives_the_layer_by_layer_results_bit_for_bit(int batch)
    {
        // Sequential runs Dense then Relu as one pass; the same layers called one at a time must give the same bits.
        var rng = new Rng(21);
        var model = new Sequential<float>(40, new Dense<float>(40, 48), new Relu<float>(), new Dense<float>(48, 6));
        model.ResetParameters(rng);
        float[] x = Enumerable.Range(0, batch * 40).Select(_ => (float)rng.NextNormal()).ToArray();
        float[] dy = Enumerable.Range(0, batch * 6).Select(_ => (float)rng.NextNormal()).ToArray();
        Workspace<float> workspace = model.CreateWorkspace(batch);
        float[] fused = model.Forward(workspace, x, batch).ToArray();
        dy.CopyTo(workspace.LossGradient(batch));
        model.ZeroGradients();
        model.Backward(workspace, x, batch);
        float[] fusedGradients = (float[])model.Gradients.Clone();

        IReadOnlyList<ILayer<float>> layers = model.Layers;
        float[] a = new float[batch * 48], h = new float[batch * 48], y = new float[batch * 6];
        float[] dh = new float[batch * 48], da = new float[batch * 48];
        layers[0].Forward(a, x, batch, null);
        layers[1].Forward(h, a, batch, null);
        layers[2].Forward(y, h, batch, null);
        model.ZeroGradients();
        layers[2].Backward(dh, dy, h, y, batch);
        layers[1].Backward(da, dh, a, h, batch);
        layers[0].Backward([], da, x, a, batch);
        Assert.Equal(y, fused);
        Assert.Equal(model.Gradients, fusedGradients);
        Assert.Contains(h, value => value == 0); // the clamp was exercised
    }

    [Fact]
    public void Fused_dense_relu_lets_a_nan_through_as_relu_does()
    {
        // Divergence is caught by the loss becoming NaN: the fused clamp must not turn a NaN pre-activation into 0.
        // Batch 1: the per-sample path; 5: the direct product; 64: the packed product's vector clamp.
        var model = new Sequential<float>(40, new Dense<float>(40, 48), new Relu<float>());
        model.ResetParameters(new Rng(1));
        foreach (int batch in new[] { 1, 5, 64 })
        {
            float[] x = Enumerable.Repeat(float.NaN, 40 * batch).ToArray();
            float[] output = model.Forward(model.CreateWorkspace(batch), x, batch).ToArray();
            Assert.All(output, value => Assert.True(float.IsNaN(value)));
        }
    }

    [Fact]
    public void Parameters_are_one_block_that_the_layers_slice_in_order()
    {
        var first = new Dense<float>(4, 16);
        var second = new Dense<float>(16, 3);
        var model = new Sequential<float>(4, first, new Relu<float>(), second);
        Assert.Equal(80 + 51, model.ParameterCount);
        first.Bias[0] = 7;
        second.Weight[0] = 9;
        Assert.Equal(7, model.Parameters[64]);
        Assert.Equal(9, model.Parameters[80]);
    }

    [Fact]
    public void Rejects_layers_whose_sizes_do_not_chain()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sequential<float>(4, new Dense<float>(4, 8), new Dense<float>(16, 3)));
        Assert.Contains("expected 16 input features. Received: 8", error.Message);
    }

    [Fact]
    public void Predict_equals_forward_in_chunks()
    {
        var rng = new Rng(2);
        var model = new Sequential<double>(3, new Dense<double>(3, 5), new Relu<double>(), new Dense<double>(5, 2));
        model.ResetParameters(rng);
        var inputs = new Matrix<double>(600, 3);
        for (int i = 0; i < inputs.Length; i++) inputs.Data[i] = rng.NextNormal();
        Matrix<double> predicted = model.Predict(inputs);
        var workspace = model.CreateWorkspace(600);
        Assert.Equal(model.Forward(workspace, inputs.Data, 600).ToArray(), predicted.Data);
    }

    [Fact]
    public void Predict_gives_a_row_the_same_bits_whatever_rows_are_predicted_with_it()
    {
        // Wide enough that a few rows take Gemm's direct path and a chunk the packed one, which sum in different orders.
        var rng = new Rng(5);
        var model = new Sequential<float>(40, new Dense<float>(40, 64), new Relu<float>(), new Dense<float>(64, 64),
            new Relu<float>(), new Dense<float>(64, 3));
        model.ResetParameters(rng);
        var inputs = new Matrix<float>(300, 40);
        for (int i = 0; i < inputs.Length; i++) inputs.Data[i] = (float)rng.NextNormal();
        float[] all = model.Predict(inputs).Data;

        foreach ((int start, int rows) in new[] { (0, 1), (0, 5), (3, 40), (250, 50), (299, 1) })
        {
            var part = new Matrix<float>(inputs.RowRange(start, rows).ToArray(), rows, 40);
            Assert.Equal(all.AsSpan(start * 3, rows * 3).ToArray(), model.Predict(part).Data);
        }
    }

    public static TheoryData<string> MemberNetworks => ["relu", "two layers, selu, dropout", "feature scale, periodic embedding", "tanh"];

    // Ensembles of 5 members as Mlp.Create builds them, of 7 inputs and 3 outputs a member.
    private static Sequential<T> MemberNetwork<T>(string kind) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => kind switch
    {
        "relu" => Mlp.Create<T>(7, [9], 3, members: 5),
        "two layers, selu, dropout" => Mlp.Create<T>(7, [6, 5], 3, Activation.Selu, dropout: 0.2, members: 5),
        "feature scale, periodic embedding" => Mlp.Create<T>(7, [4], 3, featureScale: true, members: 5, embedding: InputEmbedding.Periodic),
        _ => Mlp.Create<T>(7, [3], 3, Activation.Tanh, members: 5),
    };

    [Theory]
    [MemberData(nameof(MemberNetworks))]
    public void Predicting_each_row_with_one_member_gives_that_members_outputs_bit_for_bit(string kind)
    {
        // The cross-fitted evaluation predicts each row with the member that held it out; those columns must be what the whole
        // network's prediction holds there, in float and in double, over rows that fill several workspace chunks.
        AssertMembersMatch<float>(kind);
        AssertMembersMatch<double>(kind);

        static void AssertMembersMatch<T>(string kind) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            const int rows = 700, members = 5, o = 3;
            Sequential<T> model = MemberNetwork<T>(kind);
            var rng = new Rng(17);
            model.ResetParameters(rng);
            // Parameters off their initial values (the feature scale starts at 1, biases at small values).
            for (int p = 0; p < model.Parameters.Length; p++) model.Parameters[p] += T.CreateChecked(0.3 * rng.NextNormal());
            var inputs = new Matrix<T>(rows, 7);
            for (int i = 0; i < inputs.Data.Length; i++) inputs.Data[i] = T.CreateChecked(2 * rng.NextNormal());
            int[] member = Enumerable.Range(0, rows).Select(_ => rng.NextInt(members)).ToArray();
            int[][] rowsOfMember = Enumerable.Range(0, members).Select(m => Enumerable.Range(0, rows).Where(r => member[r] == m).ToArray()).ToArray();

            Assert.True(model.CanPredictMembers(members));
            Matrix<T> whole = model.Predict(inputs);
            var outputs = new Matrix<T>(rows, members * o);
            outputs.Data.AsSpan().Fill(T.CreateChecked(-7));
            model.PredictMembersInto(inputs, outputs, model.CreateInferenceWorkspace(Sequential<T>.PredictChunk), rowsOfMember);
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < members * o; c++)
                {
                    // The member's own columns hold the whole prediction's bits; the others are left as they were.
                    T expected = c / o == member[r] ? whole[r, c] : T.CreateChecked(-7);
                    Assert.True(expected.Equals(outputs[r, c]), $"{kind} ({typeof(T).Name}): row {r}, column {c}: {outputs[r, c]} against {expected}");
                }
            }
        }
    }

    [Fact]
    public void Only_ensembles_whose_members_take_the_whole_layers_kernel_predict_member_by_member()
    {
        Assert.False(Mlp.Create<float>(7, [9], 3).CanPredictMembers(2)); // one network: no groups
        Assert.False(Mlp.Create<float>(7, [9], 3, members: 5).CanPredictMembers(3)); // 45 units, 5 groups: not 3 members
        Assert.True(Mlp.Create<float>(7, [3], 3, members: 5).CanPredictMembers(5));
        // Two units a member take the direct product and all ten the packed one: the sums could differ, so the whole network runs.
        Assert.False(Mlp.Create<float>(7, [2], 3, members: 5).CanPredictMembers(5));
        // A layer that mixes the members' units (a plain dense layer after the first).
        var mixed = new Sequential<float>(7, new Dense<float>(7, 15), new Relu<float>(), new Dense<float>(15, 10));
        Assert.False(mixed.CanPredictMembers(5));
    }
}
