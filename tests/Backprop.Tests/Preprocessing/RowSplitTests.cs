using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Preprocessing;

public sealed class RowSplitTests : TempFileTest
{
    private Table ReadTable(string text) => Table.Read(Files.Write("data.csv", text));

    // 30 rows of class a, 10 of b, 1 of c, and 2 rows with no target.
    private Table Classes() => ReadTable("x,y\n" +
        string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{(i % 4 == 3 ? "b" : "a")}\n")) + "40,c\n41,NA\n42,\n");

    [Fact]
    public void Class_targets_are_split_per_class()
    {
        Table table = Classes();
        var (training, validation) = RowSplit.TrainValidation(table, new TabularOptions(), 0.2, new Rng(1));
        TableColumn y = table.Find("y")!;
        Assert.Equal(6, validation.Count(r => y.GetText(r) == "a"));
        Assert.Equal(2, validation.Count(r => y.GetText(r) == "b"));
        Assert.DoesNotContain(validation, r => y.GetText(r) == "c"); // a lone class stays in training
        Assert.Equal(41, training.Length + validation.Length);
        Assert.Empty(training.Intersect(validation));
        Assert.DoesNotContain(41, training.Concat(validation));
        Assert.Equal(training.Order(), training);
        Assert.Equal(validation.Order(), validation);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split()
    {
        Table table = Classes();
        var first = RowSplit.TrainValidation(table, new TabularOptions(), 0.25, new Rng(7));
        var again = RowSplit.TrainValidation(table, new TabularOptions(), 0.25, new Rng(7));
        var other = RowSplit.TrainValidation(table, new TabularOptions(), 0.25, new Rng(8));
        Assert.Equal(first.Validation, again.Validation);
        Assert.NotEqual(first.Validation, other.Validation);
    }

    [Fact]
    public void Regression_targets_are_split_as_one_group()
    {
        Table table = ReadTable("x,y\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{i},{i * 0.5}\n")));
        var (training, validation) = RowSplit.TrainValidation(table, new TabularOptions(), 0.2, new Rng(1));
        Assert.Equal(10, validation.Length);
        Assert.Equal(40, training.Length);
        Assert.Empty(RowSplit.TrainValidation(table, new TabularOptions(), 0, new Rng(1)).Validation);
        Assert.Throws<ArgumentOutOfRangeException>(() => RowSplit.TrainValidation(table, new TabularOptions(), 1, new Rng(1)));
    }

    [Fact]
    public void Preprocessing_fitted_on_the_training_rows_sees_no_validation_value()
    {
        Table table = ReadTable("x,y\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i * i},{i % 2}\n")));
        var (training, validation) = RowSplit.TrainValidation(table, new TabularOptions(), 0.3, new Rng(3));
        var preprocessor = TabularPreprocessor.Fit(table, rows: training);
        Assert.Equal(training.Average(r => (double)r * r), preprocessor.State.Features[0].Mean, 9);
        Assert.Equal(validation.Length, preprocessor.Transform<float>(table, validation).Count);
    }

    // Folds counts the rows of each label into place (a loop, for start-up); this is the grouping it replaced, as a reference.
    private static int[] FoldsByGrouping(int count, int folds, int[]? labels, Rng rng)
    {
        var fold = new int[count];
        int next = 0;
        IEnumerable<int[]> groups = labels is null
            ? [Enumerable.Range(0, count).ToArray()]
            : Enumerable.Range(0, count).GroupBy(r => labels[r]).OrderBy(g => g.Key).Select(g => g.ToArray());
        foreach (int[] rows in groups)
        {
            rng.Shuffle<int>(rows);
            foreach (int row in rows) fold[row] = next++ % folds;
        }
        return fold;
    }

    [Theory]
    [InlineData(0, 5, 1, 0)]          // no rows
    [InlineData(1, 5, 3, 0)]          // one row
    [InlineData(103, 5, 1, 0)]        // one class
    [InlineData(500, 5, 7, 0)]        // class indices
    [InlineData(500, 3, 7, -3)]       // labels below zero
    [InlineData(40, 5, 1_000_000, 0)] // labels spread far wider than the rows: the grouping path
    public void Stratified_folds_deal_each_labels_rows_as_grouping_them_in_label_order_does(int count, int folds, int spread, int offset)
    {
        var draw = new Rng(42);
        int[] labels = [.. Enumerable.Range(0, count).Select(_ => offset + draw.NextInt(spread))];
        for (ulong seed = 0; seed < 4; seed++)
        {
            Assert.Equal(FoldsByGrouping(count, folds, labels, new Rng(seed)), RowSplit.Folds(count, folds, labels, new Rng(seed)));
            Assert.Equal(FoldsByGrouping(count, folds, null, new Rng(seed)), RowSplit.Folds(count, folds, null, new Rng(seed)));
        }
    }

    [Fact]
    public void Rows_by_fold_list_each_folds_rows_in_order()
    {
        int[] folds = RowSplit.Folds(103, 5, null, new Rng(9));
        int[][] rows = RowSplit.RowsByFold(folds, 5);
        Assert.Equal(5, rows.Length);
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(Enumerable.Range(0, 103).Where(r => folds[r] == k), rows[k]);
        }
        Assert.Empty(RowSplit.RowsByFold([0, 0, 2], 4)[3]);
        Assert.Throws<ArgumentException>(() => RowSplit.RowsByFold([0, 5], 5));
    }
}
