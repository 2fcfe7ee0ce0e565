using Backprop.Losses;
using Backprop.Tensors;

namespace Backprop.Tests.Losses;

public class EnsembleLossTests
{
    private static double[] Normals(Rng rng, int count, double scale = 1) => Enumerable.Range(0, count).Select(_ => scale * rng.NextNormal()).ToArray();

    // Member m's outputs (B, O) out of the ensemble's (B, M·O).
    private static double[] MemberOf(double[] outputs, int batch, int members, int o, int m) =>
        Enumerable.Range(0, batch).SelectMany(b => outputs.Skip((b * members + m) * o).Take(o)).ToArray();

    private static double[] Softmax(ReadOnlySpan<double> z)
    {
        double max = z.ToArray().Max();
        double[] e = z.ToArray().Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Training_is_the_mean_of_the_members_losses_and_each_member_gets_its_own_gradient_over_M(bool weighted)
    {
        const int batch = 5, members = 3, classes = 4;
        var rng = new Rng(6);
        double[] outputs = Normals(rng, batch * members * classes, 2);
        // A target buffer longer than the batch, as the trainer's last batch of an epoch hands over.
        double[] targets = [0, 3, 1, 1, 2, 9, 9];
        double[] weights = weighted ? [0.5, 2, 1, 0, 3] : [];
        var inner = new SoftmaxCrossEntropy<double>(null, 0.1);
        var loss = new EnsembleLoss<double>(inner, members, classes, MemberAverage.SoftmaxProbabilities);
        double[] doutput = new double[outputs.Length];
        double value = loss.ForwardBackward(doutput, outputs, targets, weights, batch);

        double expected = 0;
        for (int m = 0; m < members; m++)
        {
            double[] member = MemberOf(outputs, batch, members, classes, m), dmember = new double[member.Length];
            expected += inner.ForwardBackward(dmember, member, targets, weights, batch) / members;
            Assert.Equal(dmember.Select(d => d / members), MemberOf(doutput, batch, members, classes, m), (a, b) => Math.Abs(a - b) < 1e-15);
        }
        Assert.Equal(expected, value, 1e-14);
    }

    [Fact]
    public void Evaluation_is_the_loss_of_the_averaged_probabilities()
    {
        const int batch = 4, members = 3, classes = 3;
        var rng = new Rng(9);
        double[] outputs = Normals(rng, batch * members * classes, 3);
        double[] targets = [2, 0, 1, 1];
        var loss = new EnsembleLoss<double>(new SoftmaxCrossEntropy<double>(), members, classes, MemberAverage.SoftmaxProbabilities);
        double expected = 0;
        for (int b = 0; b < batch; b++)
        {
            double p = Enumerable.Range(0, members).Average(m => Softmax(outputs.AsSpan((b * members + m) * classes, classes))[(int)targets[b]]);
            expected -= Math.Log(p) / batch;
        }
        Assert.Equal(expected, loss.Forward(outputs, targets, [], batch), 1e-12);
    }

    [Fact]
    public void Softmax_average_gives_logits_whose_softmax_is_the_mean_of_the_members_probabilities()
    {
        const int batch = 3, members = 4, classes = 5;
        double[] outputs = Normals(new Rng(2), batch * members * classes, 4);
        outputs[0] = 900; // one member all but certain: its other probabilities underflow, the average stays finite
        double[] combined = new double[batch * classes];
        EnsembleLoss<double>.Combine(outputs, combined, batch, members, MemberAverage.SoftmaxProbabilities);
        for (int b = 0; b < batch; b++)
        {
            double[] mean = Enumerable.Range(0, classes)
                .Select(c => Enumerable.Range(0, members).Average(m => Softmax(outputs.AsSpan((b * members + m) * classes, classes))[c])).ToArray();
            double[] actual = Softmax(combined.AsSpan(b * classes, classes));
            Assert.Equal(mean, actual, (a, e) => Math.Abs(a - e) < 1e-14);
        }
        Assert.All(combined, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Sigmoid_average_gives_the_logit_of_the_mean_of_the_members_sigmoids()
    {
        const int batch = 2, members = 3, o = 2;
        double[] outputs = [0.5, -1, 2, 3, -40, 0.1, 800, -800, 1, 1, -2, 0];
        double[] combined = new double[batch * o];
        EnsembleLoss<double>.Combine(outputs, combined, batch, members, MemberAverage.SigmoidProbabilities);
        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < o; c++)
            {
                double mean = Enumerable.Range(0, members).Average(m => Sigmoid(outputs[(b * members + m) * o + c]));
                Assert.Equal(mean, Sigmoid(combined[b * o + c]), 1e-14);
            }
        }
    }

    [Fact]
    public void Value_average_is_the_mean()
    {
        double[] outputs = [1, 10, 2, 20, 6, 60, -1, 0, 1, 2, 3, 4];
        double[] combined = new double[4];
        EnsembleLoss<double>.Combine(outputs, combined, batch: 2, members: 3, MemberAverage.Values);
        Assert.Equal([3, 30, 1, 2], combined);
    }

    [Fact]
    public void The_loss_gradient_matches_finite_differences_of_the_training_loss()
    {
        // The gradient is of the members' mean loss, which is what ForwardBackward returns (Forward scores the ensemble).
        const int batch = 3, members = 2, outputs = 1;
        var rng = new Rng(12);
        double[] output = Normals(rng, batch * members * outputs), target = Normals(rng, batch);
        var loss = new EnsembleLoss<double>(new MeanSquaredError<double>(), members, outputs, MemberAverage.Values);
        double[] doutput = new double[output.Length];
        loss.ForwardBackward(doutput, output, target, [], batch);
        double error = GradientCheck.Compare(output, doutput, () => loss.ForwardBackward(new double[output.Length], output, target, [], batch));
        Assert.True(error < 1e-7, $"relative error {error}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Evaluating_into_kept_buffers_gives_what_evaluate_gives_and_keeps_the_buffers(bool folded)
    {
        const int rows = 7, members = 3, classes = 4;
        var loss = new EnsembleLoss<double>(new SoftmaxCrossEntropy<double>(), members, classes, MemberAverage.SoftmaxProbabilities, folded);
        var rng = new Rng(2);
        var outputs = new Matrix<double>(Normals(rng, rows * members * classes, 2), rows, members * classes);
        // The class, then (folded) one column per member: 0 where the member holds the row out (member b mod M holds row b out).
        int width = 1 + (folded ? members : 0);
        var targets = new Matrix<double>(rows, width);
        for (int b = 0; b < rows; b++)
        {
            targets.Data[b * width] = b % classes;
            for (int m = 0; folded && m < members; m++) targets.Data[b * width + 1 + m] = m == b % members ? 0 : 1;
        }

        (Matrix<double> expected, Matrix<double> expectedTargets) = loss.Evaluate(outputs, targets);
        (Matrix<double> first, Matrix<double> firstTargets) = loss.EvaluateReusing(outputs, targets);
        Assert.Equal(expected.Data, first.Data);
        Assert.Equal(expectedTargets.Data, firstTargets.Data);
        Assert.Equal((rows, 1), (firstTargets.Rows, firstTargets.Columns));

        // The next epoch's outputs: the same matrices, holding the new values.
        var next = new Matrix<double>(Normals(rng, rows * members * classes, 2), rows, members * classes);
        (Matrix<double> second, Matrix<double> secondTargets) = loss.EvaluateReusing(next, targets);
        Assert.Same(first, second);
        Assert.Same(firstTargets, secondTargets);
        Assert.Equal(loss.Evaluate(next, targets).Outputs.Data, second.Data);
    }

    [Fact]
    public void Rows_held_out_by_one_member_combine_as_that_members_log_softmax_to_the_bit()
    {
        // The cross-fitted evaluation's rows (one member each) go through the chunked path; rows of two members and of none
        // through the general one. Each one-member row must be what the general path gives a one-member ensemble, to the bit,
        // whichever chunk it falls in: 5,000 rows of 26 classes fill more than seven chunks.
        const int batch = 5_000, members = 5, o = 26;
        var rng = new Rng(41);
        float[] outputs = Enumerable.Range(0, batch * members * o).Select(_ => (float)(4 * rng.NextNormal())).ToArray();
        float[] include = new float[batch * members];
        int[] single = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            single[b] = b % 97 == 0 ? -1 : b % 89 == 0 ? -2 : rng.NextInt(members);
            if (single[b] >= 0) include[b * members + single[b]] = 1;
            if (single[b] == -2) include[b * members] = include[b * members + 3] = 1;
        }
        float[] combined = new float[batch * o];
        EnsembleLoss<float>.Combine(outputs, combined, batch, members, MemberAverage.SoftmaxProbabilities, include);

        float[] expected = new float[o];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> all = outputs.AsSpan(b * members * o, members * o);
            if (single[b] >= 0)
            {
                EnsembleLoss<float>.Combine(all.Slice(single[b] * o, o), expected, 1, 1, MemberAverage.SoftmaxProbabilities);
            }
            else
            {
                EnsembleLoss<float>.Combine(all, expected, 1, members, MemberAverage.SoftmaxProbabilities, include.AsSpan(b * members, members));
            }
            Assert.True(expected.AsSpan().SequenceEqual(combined.AsSpan(b * o, o)), $"row {b} (member {single[b]})");
        }
        // A row of none averages all five members; one of two, members 0 and 3.
        EnsembleLoss<float>.Combine(outputs.AsSpan(0, members * o), expected, 1, members, MemberAverage.SoftmaxProbabilities);
        Assert.Equal(expected, combined[..o]);
    }
}
