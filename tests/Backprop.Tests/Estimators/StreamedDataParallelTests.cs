using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Tests.Training;
using Backprop.Training;

namespace Backprop.Tests.Estimators;

/// <summary>
/// A streamed run over the ranks of a data-parallel job (ranks as threads, <see cref="ThreadRanks"/>): each rank reads its own
/// shards (<see cref="StreamShare"/>), the ranks share what the first pass found, and every rank ends with the same model.
/// </summary>
public sealed class StreamedDataParallelTests : TempFileTest
{
    // StreamingTests' learnable table in shards of the given sizes; extra(shard, row) the cell of an extra column.
    private string Shards(string folder, int seed, int[] rows, Func<int, int, string>? extra = null)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(Path.Combine(Files.Directory, folder));
        for (int shard = 0; shard < rows.Length; shard++)
        {
            int of = shard;
            Files.Write(Path.Combine(folder, $"part-{shard}.csv"), StreamingTests.LearnableText(random, rows[shard], extra is null ? null : r => extra(of, r)));
        }
        return Path.Combine(Files.Directory, folder);
    }

    private static TabularTrainingOptions Options(string data) => StreamingTests.Options(data) with { Stream = true, Epochs = 4 };

    private static TabularTrainingResult<T>[] OnRanks<T>(int ranks, TabularTrainingOptions options, List<string>? rootNotes = null)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ThreadRanks.Run(ranks, collective => new TabularTrainer<T>(options)
        {
            Collective = collective,
            Notes = collective.Rank == 0 && rootNotes is not null ? note => rootNotes.Add(note.Text) : null,
        }.Fit());

    [Fact]
    public void Ranks_that_stream_their_own_shards_end_with_one_model_as_good_as_one_process()
    {
        // Shards of unequal sizes: the ranks get 5,000 and 7,000 rows (dealt by bytes), and step on their shares in proportion.
        string data = Shards("train", 1, [5000, 4000, 2000, 1000]);
        string test = Shards("test", 2, [4000]);
        var notes = new List<string>();
        TabularTrainingResult<float>[] ranks = OnRanks<float>(2, Options(data), notes);
        TabularTrainingResult<float> single = new TabularTrainer<float>(Options(data)).Fit();

        Assert.Equal(ranks[0].Model.Network.Parameters, ranks[1].Model.Network.Parameters);
        Assert.Equal(ranks[0].History.Select(e => e.ValidationLoss), ranks[1].History.Select(e => e.ValidationLoss));
        Assert.Equal(single.Model.Preprocessor.ClassNames, ranks[0].Model.Preprocessor.ClassNames);
        // The same rows held out whatever the number of ranks (keys of each row's file and line): the same validation set.
        Assert.Equal(single.ValidationData!.Count, ranks[0].ValidationData!.Count);
        Assert.Equal(single.ValidationData.Targets.Data.Order(), ranks[0].ValidationData!.Targets.Data.Order());
        double accuracy = StreamingTests.Accuracy(ranks[0].Model, Path.Combine(test, "part-0.csv")), singleAccuracy = StreamingTests.Accuracy(single.Model, Path.Combine(test, "part-0.csv"));
        Assert.InRange(singleAccuracy, 0.8, 0.9);
        Assert.InRange(accuracy - singleAccuracy, -0.025, 0.025);
        Assert.Contains(notes, n => n.StartsWith("streamed 12,000 rows × 6 columns of ", StringComparison.Ordinal) && n.Contains("4 shards"));
        Assert.Contains(notes, n => n.StartsWith("data-parallel over 2 ranks, each streaming its own shards", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_over_ranks_resumes_exactly_also_on_another_number_of_ranks_it_runs()
    {
        string data = Shards("train", 3, [1500, 1500, 1000]);
        TabularTrainingOptions options = Options(data) with { Epochs = 4, Dropout = 0.1 };
        string Save(string name) => Path.Combine(Files.Directory, name);
        OnRanks<double>(2, options with { SavePath = Save("whole.safetensors") });
        OnRanks<double>(2, options with { Epochs = 2, SavePath = Save("half.safetensors") });
        TabularTrainingResult<double> Resume(ICollective collective, Func<TabularTrainingOptions, TabularTrainingOptions> change)
        {
            TabularTrainer<double> trainer = TabularTrainer<double>.Resume(Save("half.safetensors"), change);
            trainer.Collective = collective;
            return trainer.Fit();
        }
        ThreadRanks.Run(2, collective => Resume(collective, o => o with { Epochs = 4, SavePath = Save("resumed.safetensors") }));
        Assert.Equal(File.ReadAllBytes(Save("whole.safetensors")), File.ReadAllBytes(Save("resumed.safetensors")));
        // On 3 ranks (one shard each) the run goes on from the same state: the same held-out rows, and the model of its ranks is one.
        TabularTrainingResult<double>[] three = ThreadRanks.Run(3, collective => Resume(collective, o => o with { Epochs = 3 }));
        Assert.Equal(three[0].Model.Network.Parameters, three[2].Model.Network.Parameters);
        Assert.Equal(3, three[0].History.Count + three[0].InitialEpoch);
    }

    [Fact]
    public void A_column_of_numbers_on_one_rank_and_text_on_another_is_a_category_on_every_rank_as_in_one_process()
    {
        // Shard 0's 'extra' holds numbers, shard 1's text: each rank reads one, and the rank that read numbers reads again.
        string data = Shards("train", 4, [3000, 3000], (shard, r) => shard == 0 ? (r % 3).ToString(CultureInfo.InvariantCulture) : r % 2 == 0 ? "many" : "few");
        TabularTrainingOptions options = Options(data) with { Epochs = 1 };
        TabularTrainingResult<float>[] ranks = OnRanks<float>(2, options);
        TabularTrainingResult<float> single = new TabularTrainer<float>(options).Fit();
        FeatureColumnState Extra(TabularTrainingResult<float> result) => result.Model.Preprocessor.State.Features.Single(f => f.Name == "extra");
        Assert.Equal(FeatureKind.Categorical, Extra(single).Kind);
        Assert.Equal(Extra(single).Kind, Extra(ranks[0]).Kind);
        Assert.Equal(Extra(single).Categories!.Order(), Extra(ranks[0]).Categories!.Order());
        Assert.Equal(ranks[0].Model.Network.Parameters, ranks[1].Model.Network.Parameters);
    }

    [Fact]
    public void A_bad_cell_in_one_ranks_shard_is_said_by_every_rank_with_its_file_and_line()
    {
        string data = Shards("train", 5, [2000, 2000], (shard, r) => shard == 1 && r == 1500 ? "inf" : "1");
        var errors = Assert.Throws<AggregateException>(() => OnRanks<float>(2, Options(data))).InnerExceptions;
        Assert.Equal(2, errors.Count);
        string expected = $"{Path.Combine(data, "part-1.csv")} line 1502";
        Assert.All(errors, e => Assert.Contains(expected, Assert.IsType<BackpropException>(e).Message));
    }

    [Fact]
    public void A_category_too_rare_to_be_sampled_is_one_warning_counting_the_rows_of_every_rank()
    {
        // One 'rare' row in each shard, which the samples (of 1 MB) miss: rank 0 reads one of them, rank 1 the other.
        string data = Shards("train", 10, [15_000, 15_000], (shard, r) => r == 12_345 ? "rare" : r % 2 == 0 ? "even" : "odd");
        var notes = new List<TrainingNote>();
        TabularTrainingResult<float>[] ranks = ThreadRanks.Run(2, collective => new TabularTrainer<float>(
            Options(data) with { StreamMemory = 1_000_000, Epochs = 1, ValidationFraction = 0 })
        {
            Collective = collective,
            Notes = collective.Rank == 0 ? notes.Add : null,
        }.Fit());
        Assert.DoesNotContain("rare", ranks[0].Model.Preprocessor.State.Features.Single(f => f.Name == "extra").Categories!);
        TrainingNote warning = Assert.Single(notes, n => n.IsWarning);
        Assert.Equal("column 'extra': 2 streamed row(s) with a category not seen in training (such as 'rare') encoded as all zeros", warning.Text);
    }

    [Fact]
    public void A_stop_that_reaches_one_rank_during_the_first_pass_stops_every_rank_there()
    {
        string data = Shards("train", 9, [3000, 3000]);
        var errors = Assert.Throws<AggregateException>(() => ThreadRanks.Run(2, collective =>
        {
            var trainer = new TabularTrainer<float>(Options(data)) { Collective = collective };
            return trainer.Fit(collective.Rank == 1 ? new CancellationToken(canceled: true) : CancellationToken.None);
        })).InnerExceptions;
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.IsAssignableFrom<OperationCanceledException>(e));
    }

    [Fact]
    public void One_file_is_shared_by_chunks_when_there_are_fewer_files_than_ranks()
    {
        string data = Shards("train", 6, [40_000]);
        var notes = new List<string>();
        TabularTrainingResult<float>[] ranks = OnRanks<float>(2, Options(Path.Combine(data, "part-0.csv")) with { Epochs = 1 }, notes);
        Assert.Equal(ranks[0].Model.Network.Parameters, ranks[1].Model.Network.Parameters);
        Assert.Contains(notes, n => n.StartsWith("data-parallel over 2 ranks, each streaming every 2nd chunk of the data", StringComparison.Ordinal));
    }

    [Fact]
    public void Many_ranks_are_described_by_the_ranges_of_their_shares()
    {
        string data = Shards("train", 8, [900, 1000, 1100, 1000, 1000, 1000]);
        var notes = new List<string>();
        TabularTrainingResult<float>[] ranks = OnRanks<float>(5, Options(data) with { Epochs = 1 }, notes);
        Assert.All(ranks, r => Assert.Equal(ranks[0].Model.Network.Parameters, r.Model.Network.Parameters));
        Assert.Matches(@"^data-parallel over 5 ranks, each streaming its own shards \(1–2 files and [\d,]+–[\d,]+ training rows a rank\): each steps",
            Assert.Single(notes, n => n.StartsWith("data-parallel", StringComparison.Ordinal)));
    }

    [Fact]
    public void Shards_are_dealt_to_ranks_whole_by_bytes_and_positions_do_not_depend_on_the_ranks()
    {
        string data = Shards("train", 7, [3000, 500, 1200, 800, 700]);
        StreamShare one = StreamShare.Of(data, 0, 1);
        StreamShare[] two = [StreamShare.Of(data, 0, 2), StreamShare.Of(data, 1, 2)];
        Assert.Equal(one.Files, two.SelectMany(s => s.Read).Order(StringComparer.Ordinal));
        Assert.Empty(two[0].Read.Intersect(two[1].Read));
        // The largest shard alone on one rank, the four others on the other.
        Assert.Single(two.Select(s => s.Read.Count), 1);
        long[] bytes = [.. two.Select(s => s.Read.Sum(file => new FileInfo(file).Length))];
        Assert.InRange((double)bytes.Min() / bytes.Max(), 0.8, 1);

        HashSet<long> Positions(StreamShare share) => [.. share.Chunks(new CsvReadOptions(), 700).SelectMany(c => Enumerable.Range(0, c.Chunk.RowCount).Select(r => c.Position + r))];
        HashSet<long> all = Positions(one);
        Assert.Equal(6200, all.Count);
        Assert.True(all.SetEquals(Positions(two[0]).Concat(Positions(two[1]))));
        // Of one file, by chunks: every other chunk to each of two ranks.
        string file = Path.Combine(data, "part-0.csv");
        StreamShare[] chunks = [StreamShare.Of(file, 0, 2), StreamShare.Of(file, 1, 2)];
        Assert.All(chunks, c => Assert.True(c.ByChunk));
        Assert.Equal([0L, 1400, 2800], chunks[0].Chunks(new CsvReadOptions(), 700).Select(c => c.Position));
        Assert.Equal([700L, 2100], chunks[1].Chunks(new CsvReadOptions(), 700).Select(c => c.Position));
    }
}
