using Backprop.Optimizers;
using Backprop.Tensors;

namespace Backprop.Tests.Optimizers;

/// <summary>The vectorized Adam update against the formula written out one element at a time, bit for bit.</summary>
public class AdamStepTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(37)]
    public void Every_length_matches_the_scalar_formula_exactly(int n)
    {
        var rng = new Rng((ulong)n + 1);
        float[] parameters = Enumerable.Range(0, n).Select(_ => (float)rng.NextNormal()).ToArray();
        float[] expected = (float[])parameters.Clone();
        float[] m = new float[n], v = new float[n];
        var adam = new Adam<float>(new AdamOptions(LearningRate: 0.01, WeightDecay: 0.1));
        for (int step = 1; step <= 3; step++)
        {
            float[] gradients = Enumerable.Range(0, n).Select(_ => (float)rng.NextNormal()).ToArray();
            adam.Step(parameters, gradients);
            // PyTorch 1.13's single-tensor Adam with coupled weight decay, in float32, element by element.
            float stepSize = 0.01f / (float)(1 - Math.Pow(0.9, step)), correction = (float)Math.Sqrt(1 - Math.Pow(0.999, step));
            for (int i = 0; i < n; i++)
            {
                float g = gradients[i] + 0.1f * expected[i];
                m[i] = 0.9f * m[i] + (1 - 0.9f) * g;
                v[i] = 0.999f * v[i] + (1 - 0.999f) * g * g;
                expected[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / correction + 1e-8f);
            }
            Assert.Equal(expected, parameters);
        }
    }

    [Fact]
    public void A_pass_split_across_threads_changes_no_bit()
    {
        // Large enough (over 32 k parameters per thread) for the update to be split across the worker pool.
        const int n = 100_003;
        float[] Run(int threads)
        {
            int saved = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var rng = new Rng(9);
                float[] parameters = Enumerable.Range(0, n).Select(_ => (float)rng.NextNormal()).ToArray();
                var adamW = new AdamW<float>(new AdamOptions(LearningRate: 0.003, WeightDecay: 0.01));
                for (int step = 0; step < 3; step++)
                {
                    float[] gradients = Enumerable.Range(0, n).Select(_ => (float)rng.NextNormal()).ToArray();
                    adamW.Step(parameters, gradients);
                }
                return parameters;
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
        }
        Assert.Equal(Run(1), Run(2));
        Assert.Equal(Run(1), Run(3));
    }
}
