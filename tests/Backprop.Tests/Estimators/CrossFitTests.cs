using Backprop.Data;
using Backprop.Estimators;
using Backprop.Losses;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Estimators;

/// <summary>
/// Cross-fitting (<see cref="TabularTrainingOptions.CrossFit"/>): the folds, each member learning only outside its own, the
/// out-of-fold validation loss, and a resumed run.
/// </summary>
public sealed class CrossFitTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    // Uncalibrated (so without label smoothing): the losses checked by hand are the members' own log losses.
    private static TabularTrainingOptions Wine => new()
    {
        Dataset = "wine", HiddenLayers = [8], Epochs = 4, Members = 3, CrossFit = true, ValidationFraction = 0, EarlyStopping = null, Calibrate = false,
        Optimizer = Backprop.Optimizers.OptimizerKind.Adam, LearningRate = 0.01, BatchSize = 16,
    };

    [Fact]
    public void Folds_are_even_stratified_and_seeded()
    {
        int[] labels = [.. Enumerable.Range(0, 100).Select(i => i < 70 ? 0 : 1)];
        int[] folds = RowSplit.Folds(100, 4, labels, new Rng(3));
        Assert.All(Enumerable.Range(0, 4), f => Assert.Equal(25, folds.Count(x => x == f)));
        // Each fold holds its share of each class (70 and 30 dealt over 4: 17 or 18, 7 or 8).
        Assert.All(Enumerable.Range(0, 4), f => Assert.InRange(Enumerable.Range(0, 70).Count(r => folds[r] == f), 17, 18));
        Assert.Equal(folds, RowSplit.Folds(100, 4, labels, new Rng(3)));
        Assert.NotEqual(folds, RowSplit.Folds(100, 4, labels, new Rng(4)));
    }

    [Fact]
    public void A_member_learns_nothing_from_its_own_fold_and_validation_scores_the_members_that_held_a_row_out()
    {
        const int members = 3, classes = 2;
        var inner = new SoftmaxCrossEntropy<double>();
        var loss = new EnsembleLoss<double>(inner, members, classes, MemberAverage.SoftmaxProbabilities, folded: true);
        Assert.Equal(1 + members, loss.TargetColumns(members * classes));
        // Two rows: the first held out by member 1, the second by member 2. Targets: class, then a column per member.
        double[] targets = [1, 1, 0, 1, 0, 1, 1, 0];
        double[] outputs = [0.3, -0.2, 1.5, 0.1, -0.7, 0.4, 2.0, -1.0, 0.5, 0.5, -0.3, 0.9];
        double[] doutput = new double[outputs.Length];
        loss.ForwardBackward(doutput, outputs, targets, [], batch: 2);
        Assert.Equal([0.0, 0.0], doutput[2..4]);   // row 0, member 1
        Assert.Equal([0.0, 0.0], doutput[10..12]); // row 1, member 2
        Assert.DoesNotContain(0.0, doutput[0..2]);
        // Validation: row 0 scored by member 1 alone, row 1 by member 2 alone.
        double expected = (inner.Forward(outputs[2..4], [1], [], 1) + inner.Forward(outputs[10..12], [0], [], 1)) / 2;
        Assert.Equal(expected, loss.Forward(outputs, targets, [], batch: 2), 1e-12);
    }

    [Fact]
    public void The_validation_loss_is_the_out_of_fold_loss_of_the_model_kept()
    {
        TabularTrainingResult<double> result = new TabularTrainer<double>(Wine).Fit();
        Dataset<double> rows = result.TrainingData;
        int[] labels = rows.Labels();
        int[] folds = RowSplit.Folds(rows.Count, 3, labels, new Rng(Wine.Seed ^ TabularTrainer<double>.FoldSeedSalt));
        Matrix<double> raw = result.Model.Network.Predict(rows.Features);
        double logLoss = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            double[] z = [.. raw.Row(r).Slice(folds[r] * 3, 3).ToArray()];
            logLoss -= (z[labels[r]] - Math.Log(z.Sum(Math.Exp))) / rows.Count;
        }
        Assert.Equal(logLoss, result.History[^1].ValidationLoss!.Value, 1e-9);
        Assert.Null(result.ValidationData);
    }

    [Fact]
    public void A_resumed_run_ends_as_the_run_in_one_go()
    {
        string path = Path.Combine(_files.Directory, "cf.safetensors");
        new TabularTrainer<double>(Wine with { SavePath = path }).Fit();
        TabularTrainingResult<double> resumed = TabularTrainer<double>.Resume(path, o => o with { Epochs = 7, SavePath = null }).Fit();
        TabularTrainingResult<double> whole = new TabularTrainer<double>(Wine with { Epochs = 7 }).Fit();
        Assert.Equal(whole.Model.Network.Parameters, resumed.Model.Network.Parameters);
        Assert.Equal(whole.History.Skip(4).Select(r => r.ValidationLoss), resumed.History.Select(r => r.ValidationLoss));
    }

    [Fact]
    public void It_needs_members_and_no_validation_split()
    {
        Assert.Equal("CrossFit", Assert.Throws<OptionException>(() => (Wine with { Members = 1 }).Validate()).Option);
        Assert.Equal("ValidationFraction", Assert.Throws<OptionException>(() => (Wine with { ValidationFraction = 0.2 }).Validate()).Option);
        Assert.Equal("ValidationFraction", Assert.Throws<OptionException>(() => (Wine with { ValidationData = "v.csv" }).Validate()).Option);
    }

    [Fact]
    public void Fewer_rows_than_the_defaults_members_train_one_member_a_row()
    {
        // A table typed by hand to try the tool: four rows cannot fill the default's five folds.
        string four = _files.Write("four.csv", "x,y\n1,a\n2,b\n3,a\n4,b\n");
        var notes = new List<TrainingNote>();
        TabularTrainingResult<float> result = new TabularTrainer<float>(new TabularTrainingOptions { Data = four, Epochs = 3 }) { Notes = notes.Add }.Fit();
        Assert.Equal(4, result.Options.Members);
        Assert.True(result.Options.CrossFit);
        Assert.Equal(4, result.Model.Members);
        Assert.Contains(notes, n => n.Text == "4 rows: 4 members, each holding out one row (5 members need 5 rows or more)");
        Assert.All(result.History, r => Assert.True(double.IsFinite(r.ValidationLoss!.Value)));

        // One row (a regression): one network on it, nothing held out to validate or calibrate on.
        string one = _files.Write("one.csv", "x,y\n1,2.5\n");
        notes.Clear();
        TabularTrainingResult<float> single = new TabularTrainer<float>(new TabularTrainingOptions { Data = one, Epochs = 3 }) { Notes = notes.Add }.Fit();
        Assert.Equal(1, single.Options.Members);
        Assert.False(single.Options.CrossFit);
        Assert.False(single.Options.Calibrate);
        Assert.Contains(notes, n => n.Text == "1 row: one network on it, none held out (5 members need 5 rows or more)");
    }

    [Fact]
    public void Fewer_rows_than_members_asked_to_cross_fit_or_a_split_that_holds_none_out_is_an_option_error_not_nan()
    {
        // Two rows, five members asked to cross-fit: three folds would be empty. A split of 0.99 of two classes of one row each holds none out.
        string tiny = _files.Write("tiny.csv", "x,y\n1,a\n2,b\n");
        var members = Assert.Throws<OptionException>(() => new TabularTrainer<float>(new TabularTrainingOptions { Data = tiny, CrossFit = true }).Fit());
        Assert.Equal(nameof(TabularTrainingOptions.Members), members.Option);
        Assert.Contains("at most 2, one a row, to cross-fit 2 rows", members.Message);
        var split = Assert.Throws<OptionException>(() => new TabularTrainer<float>(new TabularTrainingOptions { Data = tiny, ValidationFraction = 0.99, CrossFit = false }).Fit());
        Assert.Equal(nameof(TabularTrainingOptions.ValidationFraction), split.Option);
        // As many members as rows still cross-fit: every member holds out one row.
        TabularTrainingResult<float> two = new TabularTrainer<float>(new TabularTrainingOptions { Data = tiny, Members = 2, Epochs = 2 }).Fit();
        Assert.True(two.Options.CrossFit);
        Assert.All(two.History, r => Assert.True(double.IsFinite(r.ValidationLoss!.Value)));
    }
}
