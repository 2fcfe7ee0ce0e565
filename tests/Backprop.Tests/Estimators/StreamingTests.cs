using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Losses;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Estimators;

/// <summary>Training on data streamed in chunks (<see cref="TabularTrainingOptions.Stream"/>), against the run on the whole table.</summary>
public sealed class StreamingTests : TempFileTest
{
    // A learnable table: x0..x3 numbers, a category, and a class from a nonlinear rule with 10% of labels flipped.
    private string Learnable(string name, int rows, int seed, Func<int, string>? extra = null) =>
        Files.Write(name, LearnableText(new Random(seed), rows, extra));

    // The table's text: its header and `rows` rows drawn from `random`; `extra(r)` the cell of an extra column in row r.
    internal static string LearnableText(Random random, int rows, Func<int, string>? extra = null)
    {
        var text = new StringBuilder("x0,x1,x2,x3,color," + (extra is null ? "" : "extra,") + "label\n");
        string[] colors = ["red", "green", "blue"];
        for (int r = 0; r < rows; r++)
        {
            double[] x = [.. Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 4 - 2)];
            int color = random.Next(3);
            double score = x[0] * x[1] + Math.Sin(2 * x[2]) - 0.5 * x[3] + (color == 1 ? 0.8 : 0);
            string label = (score > 0) ^ (random.NextDouble() < 0.1) ? "up" : "down";
            text.Append(string.Join(",", x.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))).Append(',').Append(colors[color]).Append(',');
            if (extra is not null) text.Append(extra(r)).Append(',');
            text.Append(label).Append('\n');
        }
        return text.ToString();
    }

    // The share of the rows of `path` whose label the model predicts.
    internal static double Accuracy(TabularModel<float> model, string path)
    {
        Table table = Table.Read(path, model.Preprocessor.ReadOptions());
        Matrix<float> probabilities = model.PredictProbabilities(table);
        TableColumn label = table.Find("label")!;
        int correct = 0;
        for (int r = 0; r < table.RowCount; r++)
        {
            int predicted = probabilities[r, 0] > probabilities[r, 1] ? 0 : 1;
            if (model.Preprocessor.ClassNames![predicted] == label.GetText(r)) correct++;
        }
        return (double)correct / table.RowCount;
    }

    // A small network's run, a tenth held out, the best epoch kept.
    internal static TabularTrainingOptions Options(string data) => new()
    {
        Data = data,
        Members = 1,
        HiddenLayers = [32],
        Epochs = 6,
        BatchSize = 32,
        LearningRate = 0.003,
        ValidationFraction = 0.1,
        EarlyStopping = null,
        RestoreBest = true,
        Seed = 5,
    };

    [Fact]
    public void A_streamed_run_scores_new_rows_as_well_as_the_run_on_the_whole_table()
    {
        string train = Learnable("train.csv", 12_000, 1), test = Learnable("test.csv", 4000, 2);
        var notes = new List<string>();
        var streamedTrainer = new TabularTrainer<float>(Options(train) with { Stream = true }) { Notes = n => notes.Add(n.Text) };
        TabularTrainingResult<float> streamed = streamedTrainer.Fit();
        TabularTrainingResult<float> whole = new TabularTrainer<float>(Options(train) with { Stream = false }).Fit();

        double streamedAccuracy = Accuracy(streamed.Model, test), wholeAccuracy = Accuracy(whole.Model, test);
        Assert.InRange(wholeAccuracy, 0.8, 0.9);
        // 4,000 rows: a standard error of 0.6 points; the two runs see the rows in other orders and hold out other rows.
        Assert.InRange(streamedAccuracy - wholeAccuracy, -0.025, 0.025);
        Assert.Equal(6, streamed.History.Count);
        Assert.All(streamed.History, e => Assert.NotNull(e.ValidationLoss));
        Assert.Contains(notes, n => n.StartsWith("streamed 12,000 rows × 6 columns of ", StringComparison.Ordinal) && n.Contains("held out to validate"));
        Assert.True(streamed.Options.Stream);
        Assert.False(whole.Options.Stream);
        // The held-out rows: a tenth, drawn by key (not stratified), none of them trained on.
        Assert.InRange(streamed.ValidationData!.Count, 1000, 1400);
    }

    [Fact]
    public void A_streamed_run_is_reproducible_and_resumes_as_the_run_in_one_go()
    {
        string train = Learnable("train.csv", 3000, 3);
        TabularTrainingOptions options = Options(train) with { Stream = true, Epochs = 4, Dropout = 0.1 };
        new TabularTrainer<double>(options with { SavePath = Path.Combine(Files.Directory, "a.safetensors") }).Fit();
        new TabularTrainer<double>(options with { SavePath = Path.Combine(Files.Directory, "b.safetensors") }).Fit();
        new TabularTrainer<double>(options with { Epochs = 2, SavePath = Path.Combine(Files.Directory, "half.safetensors") }).Fit();
        TabularTrainer<double>.Resume(Path.Combine(Files.Directory, "half.safetensors"),
            o => o with { Epochs = 4, SavePath = Path.Combine(Files.Directory, "resumed.safetensors") }).Fit();
        byte[] a = File.ReadAllBytes(Path.Combine(Files.Directory, "a.safetensors"));
        Assert.Equal(a, File.ReadAllBytes(Path.Combine(Files.Directory, "b.safetensors")));
        Assert.Equal(a, File.ReadAllBytes(Path.Combine(Files.Directory, "resumed.safetensors")));
    }

    [Fact]
    public void The_shuffle_buffer_delivers_every_training_row_once_an_epoch_in_an_order_of_its_own()
    {
        // The target numbers the rows, so each delivered row says which it is.
        var text = new StringBuilder("x,id\n");
        for (int r = 0; r < 20_000; r++) text.Append(r % 10).Append(',').Append(r).Append('\n');
        string path = Files.Write("ids.csv", text.ToString());
        TabularTrainingOptions options = new() { Data = path, Stream = true, StreamMemory = 16_000_000, ValidationFraction = 0.2, Task = TaskKind.Regression, Seed = 9 };
        StreamedTable table = StreamedTable.Scan(options, new CsvReadOptions(), "id", null, CancellationToken.None);
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table.Sample, new TabularOptions("id", Task: TaskKind.Regression, Keep: ["x"]));
        var task = TrainingTask<double>.Create(options with { Loss = LossKind.MeanSquaredError }, preprocessor,
            preprocessor.Transform<double>(table.Sample), null, null);
        // A buffer of 1,000 rows (a quarter of the memory given, 8 bytes a row: an input and a target): a twentieth of the rows.
        using var batches = new StreamedBatches<double>(table, preprocessor, task, 1, 1, preprocessor.ReadOptions(), 32_000, 50);
        Assert.Equal(1000, batches.BufferRows);
        long[] expected = [.. Enumerable.Range(0, 20_000).Where(r => !table.IsHeldOut(r)).Select(r => (long)r)];
        Assert.Equal(expected.Length, batches.Count);
        Assert.InRange(expected.Length, 15_500, 16_500);

        var rng = new Rng(1);
        List<long> Epoch(int epoch, Rng? order)
        {
            var ids = new List<long>();
            var inputs = new double[50];
            var targets = new double[50];
            batches.BeginEpoch(epoch, order, CancellationToken.None);
            int rows;
            while ((rows = batches.Next(inputs, targets, [], 50)) > 0)
            {
                ids.AddRange(targets.Take(rows).Select(t => (long)Math.Round(task.TargetScaling.Unscale(t))));
            }
            batches.EndEpoch();
            return ids;
        }
        List<long> first = Epoch(0, rng), second = Epoch(1, rng), inOrder = Epoch(2, null);
        Assert.Equal(expected, first.Order());
        Assert.Equal(expected, second.Order());
        Assert.Equal(expected, inOrder);
        Assert.NotEqual(first, second);
        // Shuffled within the buffer's reach: far from file order, yet no row earlier than a buffer's length before its place (it
        // had to be read first); a row may stay in the buffer for long.
        int displaced = first.Select((id, i) => Math.Abs(Array.BinarySearch(expected, id) - i)).Count(d => d > 100);
        Assert.True(displaced > expected.Length / 2, $"{displaced} rows moved by more than 100 places");
        Assert.All(first.Select((id, i) => Array.BinarySearch(expected, id) - i), early => Assert.True(early <= 1000));
    }

    [Fact]
    public void A_file_that_changes_under_a_run_fails_it_at_the_file_and_line_not_quietly()
    {
        var text = new StringBuilder("x,y\n");
        for (int r = 0; r < 20_000; r++) text.Append(r % 10).Append(',').Append(r % 7).Append('\n');
        string path = Files.Write("changing.csv", text.ToString());
        TabularTrainingOptions options = new() { Data = path, Stream = true, StreamMemory = 16_000_000, Task = TaskKind.Regression };
        StreamedTable table = StreamedTable.Scan(options, new CsvReadOptions(), null, null, CancellationToken.None);
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table.Sample, new TabularOptions(Task: TaskKind.Regression));
        var task = TrainingTask<float>.Create(options with { Loss = LossKind.MeanSquaredError }, preprocessor, preprocessor.Transform<float>(table.Sample), null, null);
        using var batches = new StreamedBatches<float>(table, preprocessor, task, 1, 1, preprocessor.ReadOptions(), 16_000_000, 64);
        Files.Write("changing.csv", text.ToString().Replace("\n3,3\n", "\nthree,3\n", StringComparison.Ordinal));
        int line = text.ToString().Split('\n').ToList().IndexOf("3,3") + 1;
        batches.BeginEpoch(0, null, CancellationToken.None);
        var e = Assert.Throws<BackpropException>(() =>
        {
            var buffer = new float[64];
            while (batches.Next(buffer, new float[64], [], 64) > 0) { }
        });
        Assert.Contains($"{path} line {line}", e.Message);
        batches.EndEpoch();
    }

    [Fact]
    public void A_category_too_rare_to_be_sampled_is_one_warning_counting_its_streamed_rows()
    {
        string train = Learnable("train.csv", 30_000, 6, r => r is 12_345 or 23_456 ? "rare" : r % 2 == 0 ? "even" : "odd");
        var notes = new List<TrainingNote>();
        // 1 MB: a sample of a few thousand rows, which the two rare rows are not in.
        var trainer = new TabularTrainer<float>(Options(train) with { Stream = true, StreamMemory = 1_000_000, Epochs = 2, ValidationFraction = 0 })
        {
            Notes = notes.Add,
        };
        TabularTrainingResult<float> result = trainer.Fit();
        Assert.DoesNotContain("rare", result.Model.Preprocessor.State.Features.Single(f => f.Name == "extra").Categories!);
        TrainingNote warning = Assert.Single(notes, n => n.IsWarning);
        Assert.Equal("column 'extra': 2 streamed row(s) with a category not seen in training (such as 'rare') encoded as all zeros", warning.Text);
    }

    [Fact]
    public void A_column_of_numbers_that_turns_to_text_in_a_later_chunk_is_a_category_as_in_the_whole_table()
    {
        string train = Learnable("train.csv", 12_000, 4, r => r < 10_000 ? (r % 3).ToString(CultureInfo.InvariantCulture) : "many");
        TabularTrainingOptions options = Options(train) with { Epochs = 1 };
        TabularTrainingResult<float> streamed = new TabularTrainer<float>(options with { Stream = true }).Fit();
        TabularTrainingResult<float> whole = new TabularTrainer<float>(options with { Stream = false }).Fit();
        FeatureColumnState Extra(TabularTrainingResult<float> result) => result.Model.Preprocessor.State.Features.Single(f => f.Name == "extra");
        Assert.Equal(FeatureKind.Categorical, Extra(whole).Kind);
        Assert.Equal(Extra(whole).Kind, Extra(streamed).Kind);
        Assert.Equal(Extra(whole).Categories, Extra(streamed).Categories);
    }

    [Fact]
    public void Bad_cells_are_refused_at_their_file_and_line_and_options_that_need_the_whole_table_are_refused()
    {
        string train = Learnable("train.csv", 20_000, 5, r => r == 15_000 ? "inf" : "1");
        var e = Assert.Throws<BackpropException>(() => new TabularTrainer<float>(Options(train) with { Stream = true }).Fit());
        Assert.Equal($"Expected finite numbers in column 'extra'. Received: 'inf' at {train} line 15002.", e.Message);

        Assert.Equal("Stream", Assert.Throws<OptionException>(() => new TabularTrainer<float>(new TabularTrainingOptions { Dataset = "iris", Stream = true })).Option);
        Assert.Equal("CrossFit", Assert.Throws<OptionException>(() => new TabularTrainer<float>(Options(train) with { Stream = true, ValidationFraction = 0, Members = 3, CrossFit = true })).Option);
        Assert.Equal("StreamMemory", Assert.Throws<OptionException>(() => new TabularTrainer<float>(Options(train) with { StreamMemory = 1000 })).Option);
    }
}
