using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Tensors;

[Collection(nameof(Parallelism))]
public class ParallelismTests
{
    [Fact]
    public void Max_threads_rejects_values_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
        Assert.True(Parallelism.MaxThreads >= 1);
    }

    [Fact]
    public void Training_gives_bit_identical_parameters_on_one_and_two_threads()
    {
        // 32 × 256 × 256 multiply-adds per product of the middle layer: over the parallel threshold, so it is split.
        float[] one = Train(threads: 1), two = Train(threads: 2);
        Assert.Equal(one, two);
    }

    private static float[] Train(int threads)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            var rng = new Rng(5);
            var x = new Matrix<float>(96, 64);
            var y = new Matrix<float>(96, 1);
            for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.NextNormal();
            for (int i = 0; i < y.Rows; i++) y.Data[i] = rng.NextInt(4);
            var model = new Sequential<float>(64, new Dense<float>(64, 256), new Relu<float>(), new Dense<float>(256, 256),
                new Relu<float>(), new Dense<float>(256, 4));
            model.ResetParameters(rng);
            var trainer = new Trainer<float>(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.05f), new TrainerOptions(2, 32, true));
            trainer.Fit(new Dataset<float>(x, y), rng);
            return model.Parameters;
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
