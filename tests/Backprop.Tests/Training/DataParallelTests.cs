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

    private static (Sequential<T> Model, IReadOnlyList<EpochRecord> History)[] TrainOnRanks<T>(int ranks, Dataset<T> data, int batch, T[]? weights)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ThreadRanks.Run(ranks, collective => Train(data, batch, weights, collective));

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
        IReadOnlyList<EpochRecord>[] histories = ThreadRanks.Run(ranks, Fit);
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
        var errors = Assert.Throws<AggregateException>(() => ThreadRanks.Run(2, collective => Train(Data<double>(collective.Rank == 0 ? 40 : 41), 8, null, collective)))
            .InnerExceptions;
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("Expected every rank to train on the same data with the same options and seed. Received: 41 rows on rank 1, " +
            "40 on rank 0; give every rank the same --data (the same files at the same path on every machine) and the same flags.",
            Assert.IsType<BackpropException>(e).Message));
    }

    [Fact]
    public void A_group_of_one_is_one_process()
    {
        var group = new ThreadRanks(1);
        var rank = new ThreadRanks.Member(group, 0);
        var (single, _) = Train(Data<double>(40), 8, null, null);
        var (model, _) = Train(Data<double>(40), 8, null, rank);
        Assert.Equal(0, rank.Calls); // a group of one is one process: no gathering at all
        Assert.Equal(single.Parameters, model.Parameters);
    }

    // Rows of a data set, in order or in an order drawn from the epoch's generator; counts every row it delivers.
    private sealed class DatasetSource<T>(Dataset<T> data) : IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private int[] _order = [];
        private int _next;

        public List<int> Delivered { get; } = [];
        public long Count => data.Count;
        public int FeatureCount => data.FeatureCount;
        public int TargetColumns => data.Targets.Columns;
        public bool Weighted => false;

        public void BeginEpoch(int epoch, Rng? rng, CancellationToken cancellationToken)
        {
            _order = rng is null ? [.. Enumerable.Range(0, data.Count)] : rng.Permutation(data.Count);
            _next = 0;
        }

        public int Next(Span<T> inputs, Span<T> targets, Span<T> weights, int rows)
        {
            int n = Math.Min(rows, data.Count - _next);
            for (int r = 0; r < n; r++, _next++)
            {
                data.Features.Row(_order[_next]).CopyTo(inputs.Slice(r * FeatureCount, FeatureCount));
                data.Targets.Row(_order[_next]).CopyTo(targets.Slice(r * TargetColumns, TargetColumns));
                Delivered.Add(_order[_next]);
            }
            return n;
        }

        public void EndEpoch()
        {
        }
    }

    private static Dataset<double> Rows(Dataset<double> data, IEnumerable<int> rows)
    {
        int[] chosen = [.. rows];
        var features = new Matrix<double>(chosen.Length, data.FeatureCount);
        var targets = new Matrix<double>(chosen.Length, data.Targets.Columns);
        for (int r = 0; r < chosen.Length; r++)
        {
            data.Features.Row(chosen[r]).CopyTo(features.Row(r));
            data.Targets.Row(chosen[r]).CopyTo(targets.Row(r));
        }
        return new Dataset<double>(features, targets);
    }

    private static (Sequential<double> Model, IReadOnlyList<EpochRecord> History, int Steps) TrainOnSource(IBatchSource<double> source, bool shuffle,
        ICollective? collective, int epochs = 3)
    {
        var steps = new StepCounter();
        var model = new Sequential<double>(3, new Dense<double>(3, 16), new Relu<double>(), new Dense<double>(16, 3));
        model.ResetParameters(new Rng(5));
        var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Adam<double>(new AdamOptions(0.01)),
            new TrainerOptions(Epochs: epochs, BatchSize: 8, Shuffle: shuffle))
        {
            Collective = collective,
        };
        trainer.Callbacks.Add(steps);
        return (model, trainer.Fit(source, new Rng(3)), steps.Steps);
    }

    [Fact]
    public void Ranks_of_their_own_rows_take_the_steps_of_one_process_on_the_batches_they_make_together()
    {
        // 40 rows on rank 0 and 24 on rank 1, in order: 8 steps of 5 + 3 rows, the batch of one process being rank 0's next
        // 5 rows and rank 1's next 3.
        Dataset<double> data = Data<double>(64);
        int[] first = [.. Enumerable.Range(0, 40)], second = [.. Enumerable.Range(40, 24)];
        int[] interleaved = [.. Enumerable.Range(0, 8).SelectMany(s => first.Skip(5 * s).Take(5).Concat(second.Skip(3 * s).Take(3)))];
        var (single, history, _) = TrainOnSource(new DatasetSource<double>(Rows(data, interleaved)), shuffle: false, null);
        var results = ThreadRanks.Run(2, c => TrainOnSource(new DatasetSource<double>(Rows(data, c.Rank == 0 ? first : second)), shuffle: false, c));
        Assert.Equal(results[0].Model.Parameters, results[1].Model.Parameters);
        double difference = single.Parameters.Zip(results[0].Model.Parameters, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(difference < 1e-10, $"largest difference {difference:G3}");
        for (int e = 0; e < history.Count; e++) Assert.Equal(history[e].Loss, results[0].History[e].Loss, 1e-10);

        // A rank without rows: the other's steps are one process's, to the bit (batches of 8 = 64 / 8 steps; scaled by 8 and back).
        var (alone, _, _) = TrainOnSource(new DatasetSource<double>(data), shuffle: false, null);
        var withEmpty = ThreadRanks.Run(2, c => TrainOnSource(new DatasetSource<double>(Rows(data, c.Rank == 0 ? Enumerable.Range(0, 64) : [])), shuffle: false, c));
        Assert.Equal(alone.Parameters, withEmpty[1].Model.Parameters);
    }

    [Theory]
    [InlineData(2, 37, 50)]
    [InlineData(3, 5, 60)]
    [InlineData(3, 0, 21)]
    public void Ranks_of_their_own_rows_deliver_each_row_once_an_epoch_in_orders_of_their_own(int ranks, int fewer, int more)
    {
        Dataset<double> data = Data<double>(200);
        var sources = new DatasetSource<double>[ranks];
        var results = ThreadRanks.Run(ranks, c =>
        {
            sources[c.Rank] = new DatasetSource<double>(Rows(data, Enumerable.Range(0, c.Rank == 0 ? fewer : more)));
            return TrainOnSource(sources[c.Rank], shuffle: true, c, epochs: 2);
        });
        Assert.All(results, r => Assert.Equal(results[0].Model.Parameters, r.Model.Parameters));
        foreach (DatasetSource<double> source in sources)
        {
            int count = (int)source.Count;
            Assert.Equal(2 * count, source.Delivered.Count);
            Assert.Equal(Enumerable.Range(0, count), source.Delivered.Take(count).Order());
            Assert.Equal(Enumerable.Range(0, count), source.Delivered.Skip(count).Order());
            if (count > 10) Assert.NotEqual(source.Delivered.Take(count), source.Delivered.Skip(count));
        }
        if (ranks == 3 && fewer > 0) Assert.NotEqual(sources[1].Delivered, sources[2].Delivered); // same rows, orders of their own
        // An epoch is ⌈rows / 8⌉ steps: the global batch, about 8 rows drawn from every rank in proportion.
        int total = fewer + more * (ranks - 1);
        Assert.All(results, r => Assert.Equal(2 * ((total + 7) / 8), r.Steps));
        Assert.All(results, r => Assert.True(r.History.Count == 2 && double.IsFinite(r.History[^1].Loss)));
    }

    private sealed class StepCounter : ITrainingCallback<double>
    {
        public int Steps { get; private set; }

        public void OnBatchEnd(TrainingContext<double> context, int batch, double loss) => Steps++;
    }
}
