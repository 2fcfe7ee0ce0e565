using Backprop.Losses;
using Backprop.Tensors;

namespace Backprop.Tests.Losses;

public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void Gradient_matches_finite_differences()
    {
        var rng = new Rng(9);
        const int batch = 4, classes = 5;
        double[] logits = Enumerable.Range(0, batch * classes).Select(_ => 3 * rng.NextNormal()).ToArray();
        double[] target = [0, 4, 2, 2];
        double error = GradientCheck.Loss(new SoftmaxCrossEntropy<double>(), logits, target, [], batch);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Weighted_gradient_matches_finite_differences()
    {
        var rng = new Rng(10);
        double[] logits = Enumerable.Range(0, 9).Select(_ => rng.NextNormal()).ToArray();
        double error = GradientCheck.Loss(new SoftmaxCrossEntropy<double>(), logits, [1, 0, 2], [0.5, 2, 1], 3);
        Assert.True(error < 1e-6, $"relative error {error}");
    }

    [Fact]
    public void Uniform_logits_give_log_of_class_count()
    {
        double loss = new SoftmaxCrossEntropy<double>().Forward([0, 0, 0, 0], [3], [], 1);
        Assert.Equal(Math.Log(4), loss, 1e-15);
    }

    [Fact]
    public void Huge_logits_neither_overflow_nor_take_log_of_zero()
    {
        var loss = new SoftmaxCrossEntropy<float>();
        var doutput = new float[3];
        // The notebook's exp(1000) is inf, and its log(softmax) of a vanishing class is log(0) = -inf.
        float value = loss.ForwardBackward(doutput, [1000f, 0f, -1000f], [2f], [], 1);
        Assert.Equal(2000f, value);
        Assert.All(doutput, d => Assert.True(float.IsFinite(d)));
        Assert.Equal([1f, 0f, -1f], doutput);
    }

    [Fact]
    public void Gradient_is_probabilities_minus_one_hot_over_batch()
    {
        var doutput = new double[4];
        new SoftmaxCrossEntropy<double>().ForwardBackward(doutput, [0, 0, Math.Log(3), 0], [0, 0], [], 2);
        // row 0: p = [0.5, 0.5], target 0 -> [-0.5, 0.5] / 2; row 1: p = [0.75, 0.25], target 0 -> [-0.25, 0.25] / 2
        double[] expected = [-0.25, 0.25, -0.125, 0.125];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], doutput[i], 1e-15);
    }

    [Fact]
    public void Plain_path_agrees_with_the_general_path_under_unit_weights()
    {
        // No weights take the one-exp-per-logit path; unit class weights and unit sample weights take the general one.
        var rng = new Rng(11);
        const int batch = 7, classes = 4;
        double[] logits = Enumerable.Range(0, batch * classes).Select(_ => 4 * rng.NextNormal()).ToArray();
        double[] target = Enumerable.Range(0, batch).Select(_ => (double)rng.NextInt(classes)).ToArray();
        double[] ones = Enumerable.Repeat(1.0, batch).ToArray();
        var plain = new double[batch * classes];
        var general = new double[batch * classes];
        double plainLoss = new SoftmaxCrossEntropy<double>().ForwardBackward(plain, logits, target, [], batch);
        double generalLoss = new SoftmaxCrossEntropy<double>([1, 1, 1, 1]).ForwardBackward(general, logits, target, ones, batch);
        Assert.Equal(generalLoss, plainLoss, 1e-12);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(general[i], plain[i], 1e-12);
        Assert.Equal(plainLoss, new SoftmaxCrossEntropy<double>().Forward(logits, target, [], batch), 1e-15);
    }

    [Fact]
    public void A_rows_gradient_does_not_depend_on_the_rows_around_it()
    {
        // The general path takes the exponentials of the whole batch in one vector pass: a row's values must not depend on
        // where it falls in that pass (11 classes: a whole vector and a tail), nor on the other rows.
        var rng = new Rng(12);
        const int batch = 6, classes = 11;
        float[] row = Enumerable.Range(0, classes).Select(_ => 5 * (float)rng.NextNormal()).ToArray();
        float[] Gradient(int position, Rng others)
        {
            float[] logits = Enumerable.Range(0, batch * classes).Select(_ => 5 * (float)others.NextNormal()).ToArray();
            row.CopyTo(logits, position * classes);
            float[] target = Enumerable.Range(0, batch).Select(b => b == position ? 3f : others.NextInt(classes)).ToArray();
            var doutput = new float[batch * classes];
            new SoftmaxCrossEntropy<float>(null, 0.1).ForwardBackward(doutput, logits, target, Enumerable.Repeat(1f, batch).ToArray(), batch);
            return doutput[(position * classes)..((position + 1) * classes)];
        }
        float[] first = Gradient(0, new Rng(13));
        Assert.Equal(first, Gradient(5, new Rng(14)));
        Assert.Equal(first, Gradient(2, new Rng(15)));
    }

    [Fact]
    public void Rejects_a_class_index_out_of_range()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy<double>().Forward([0, 0], [2], [], 1));
        Assert.Contains("[0, 2)", error.Message);
    }
}
