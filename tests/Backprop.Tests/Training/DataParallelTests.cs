using System.Numerics;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>
/// <see cref="Trainer{T}.Collective"/>: ranks simulated by threads of one process (the MPI implementation is tested with
/// mpirun in Cli/DistributedMpiTests), each with its own model, generator and copy of the data, as MPI ranks have.
/// </summary>
public class DataParallelTests
{
    // Ranks as threads: AllGather copies every rank's buffer into every rank's, rank after rank, between two barriers.
    private sealed class ThreadGroup(int size)
    {
        private readonly Barrier _barrier = new(size);
        private readonly Array?[] _slots = new Array?[size];

        public sealed class Member(ThreadGroup group, int rank) : ICollective
        {
            public int Rank => rank;
            public int Size => group._slots.Length;
            public int Calls { get; private set; }
            public void AllGather(ReadOnlySpan<float> local, Span<float> all) => Gather(local, all);
            public void AllGather(ReadOnlySpan<double> local, Span<double> all) => Gather(local, all);

            private void Gather<TValue>(ReadOnlySpan<TValue> local, Span<TValue> all)
            {
                Calls++;
                group._slots[rank] = local.ToArray();
                group._barrier.SignalAndWait();
                for (int r = 0; r < Size; r++) ((TValue[])group._slots[r]!).CopyTo(all.Slice(r * local.Length, local.Length));
                group._barrier.SignalAndWait();
            }
        }
    }

    private static Dataset<T> Data<T>(int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(11);
        var features = new T[rows * 3];
        var targets = new T[rows];
        for (int i = 0; i < rows; i++)
        {
            int label = rng.NextInt(3);
            for (int f = 0; f < 3; f++) features[i * 3 + f] = T.CreateChecked(rng.NextNormal() + (f == label ? 1.5 : 0));
            targets[i] = T.CreateChecked(label);
        }
        return new Dataset<T>(new Matrix<T>(features, rows, 3), new Matrix<T>(targets, rows, 1));
    }

    private static (Sequential<T> Model, IReadOnlyList<EpochRecord> History) Train<T>(Dataset<T> data, int batch, T[]? weights, ICollective? collective)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new Sequential<T>(3, new Dense<T>(3, 16), new Relu<T>(), new Dense<T>(16, 3));
        model.ResetParameters(new Rng(5));
        var trainer = new Trainer<T>(model, new SoftmaxCrossEntropy<T>(), new Adam<T>(new AdamOptions(0.01)), new TrainerOptions(Epochs: 4, BatchSize: batch, ClipNorm: 5))
        {
            Collective = collective,
        };
        return (model, trainer.Fit(data, new Rng(3), null, weights));
    }

    // Runs one thread a rank; an exception on a rank is rethrown here (on a bare thread it would end the test host).
    private static TResult[] OnRanks<TResult>(int ranks, Func<ICollective, TResult> run)
    {
        var group = new ThreadGroup(ranks);
        var results = new TResult[ranks];
        var errors = new Exception?[ranks];
        Thread[] threads = Enumerable.Range(0, ranks).Select(r => new Thread(() =>
        {
            try
            {
                results[r] = run(new ThreadGroup.Member(group, r));
            }
            catch (Exception e)
            {
                errors[r] = e;
            }
        })).ToArray();
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();
        if (errors.Any(e => e is not null)) throw new AggregateException(errors.OfType<Exception>());
        return results;
    }

    private static (Sequential<T> Model, IReadOnlyList<EpochRecord> History)[] TrainOnRanks<T>(int ranks, Dataset<T> data, int batch, T[]? weights)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        OnRanks(ranks, collective => Train(data, batch, weights, collective));

    [Theory]
    [InlineData(2, 8, 64, false)]
    [InlineData(2, 8, 66, false)]  // the last batch of 2 rows: the targets buffer is longer than the batch
    [InlineData(3, 8, 61, false)]  // batches of 8 dealt 2, 3, 3; the last batch of 5 rows
    [InlineData(4, 4, 64, false)]  // one row a rank
    [InlineData(4, 5, 62, true)]   // the last batch of 2 rows leaves two ranks without any; weighted rows
    public void Ranks_take_the_step_one_process_takes_on_the_whole_batch(int ranks, int batch, int rows, bool weighted)
    {
        Dataset<double> data = Data<double>(rows);
        double[]? weights = weighted ? Enumerable.Range(0, rows).Select(i => 0.5 + i % 3).ToArray() : null;
        var (single, history) = Train(data, batch, weights, null);
        var results = TrainOnRanks(ranks, data, batch, weights);
        foreach (var (model, rankHistory) in results)
        {
            // Every rank ends with the same weights, to the bit: the same sums in the same order.
            Assert.Equal(results[0].Model.Parameters, model.Parameters);
            Assert.Equal(results[0].History.Select(h => h.Loss), rankHistory.Select(h => h.Loss));
        }
        // One process sums the batch's rows in one product, the ranks by parts: the same step up to rounding.
        double difference = single.Parameters.Zip(results[0].Model.Parameters, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference < 1e-10, $"largest difference {difference:G3}");
        for (int e = 0; e < history.Count; e++) Assert.Equal(history[e].Loss, results[0].History[e].Loss, 1e-10);
    }

    [Theory]
    [InlineData(2, 700)] // 3 chunks of 256 rows: 1 and 2
    [InlineData(3, 700)]
    [InlineData(4, 200)] // one chunk: rank 0 predicts it alone
    public void Ranks_share_the_epoch_predictions_and_get_one_process_outputs_to_the_bit(int ranks, int rows)
    {
        // A zero learning rate keeps every rank's weights the one process's: the validation loss and metric then depend only
        // on the predictions, which must be the same products row for row.
        Dataset<double> data = Data<double>(rows), validation = Data<double>(rows / 2);
        // A fingerprint of every output, in row order: one bit off anywhere changes it.
        var metric = new EpochMetric<double>("fingerprint", (outputs, _) => outputs.Data.Select((v, i) => v * (i + 1)).Sum());
        IReadOnlyList<EpochRecord> Fit(ICollective? collective)
        {
            var model = new Sequential<double>(3, new Dense<double>(3, 16), new Relu<double>(), new Dense<double>(16, 3));
            model.ResetParameters(new Rng(5));
            var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0), new TrainerOptions(Epochs: 2, BatchSize: 32))
            {
                Collective = collective,
                Metric = metric,
            };
            return trainer.Fit(data, new Rng(3), validation);
        }
        IReadOnlyList<EpochRecord> single = Fit(null);
        IReadOnlyList<EpochRecord>[] histories = OnRanks(ranks, Fit);
        foreach (IReadOnlyList<EpochRecord> history in histories)
        {
            Assert.Equal(single.Select(e => (e.Metric, e.ValidationLoss, e.ValidationMetric)), history.Select(e => (e.Metric, e.ValidationLoss, e.ValidationMetric)));
        }
    }

    [Fact]
    public void Float32_ranks_agree_with_one_process_to_float_rounding()
    {
        Dataset<float> data = Data<float>(96);
        var (single, _) = Train(data, 16, null, null);
        var results = TrainOnRanks(2, data, 16, null);
        Assert.Equal(results[0].Model.Parameters, results[1].Model.Parameters);
        float difference = single.Parameters.Zip(results[0].Model.Parameters, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference < 1e-4f, $"largest difference {difference:G3}");
    }

    [Fact]
    public void Ranks_with_different_data_are_refused_before_the_first_step()
    {
        var errors = Assert.Throws<AggregateException>(() => OnRanks(2, collective => Train(Data<double>(collective.Rank == 0 ? 40 : 41), 8, null, collective)))
            .InnerExceptions;
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("Expected every rank to train on the same data with the same options and seed. Received: 41 rows on rank 1, " +
            "40 on rank 0; give every rank the same --data (the same files at the same path on every machine) and the same flags.",
            Assert.IsType<BackpropException>(e).Message));
    }

    [Fact]
    public void A_group_of_one_is_one_process()
    {
        var group = new ThreadGroup(1);
        var rank = new ThreadGroup.Member(group, 0);
        var (single, _) = Train(Data<double>(40), 8, null, null);
        var (model, _) = Train(Data<double>(40), 8, null, rank);
        Assert.Equal(0, rank.Calls); // a group of one is one process: no gathering at all
        Assert.Equal(single.Parameters, model.Parameters);
    }
}
