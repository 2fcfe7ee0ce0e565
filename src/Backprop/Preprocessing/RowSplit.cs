using Backprop.Data;
using Backprop.Tensors;

namespace Backprop.Preprocessing;

/// <summary>Splits a table's rows into training and validation rows before anything is fitted.</summary>
/// <remarks>
/// Splitting rows of the raw table (rather than a preprocessed data set) is what lets <see cref="TabularPreprocessor.Fit"/>
/// see the training rows only: no validation statistic leaks into the means, scales, categories or imputed values.
/// </remarks>
public static class RowSplit
{
    /// <summary>
    /// Training and validation rows (each in file order) among the rows whose target is present. For a class target the split
    /// is stratified: each class gives the same fraction of its rows to validation (rounded), and always keeps one for training,
    /// so that no class is seen in validation only.
    /// </summary>
    /// <param name="table">The data.</param>
    /// <param name="options">The target column and how its kind is inferred, as for <see cref="TabularPreprocessor.Fit"/>.</param>
    /// <param name="validationFraction">Fraction of rows for validation, in [0, 1).</param>
    /// <param name="rng">Draws the shuffles.</param>
    /// <exception cref="BackpropException">The target column does not exist.</exception>
    public static (int[] Training, int[] Validation) TrainValidation(Table table, TabularOptions options, double validationFraction, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "Expected a fraction in [0, 1).");
        }
        string name = options.Target ?? table.ColumnNames[^1];
        TableColumn target = table.Find(name) ?? throw DataErrors.ColumnNotFound(table.Source, $"a target column '{name}'", name, table.ColumnNames);
        int[] present = Enumerable.Range(0, table.RowCount).Where(r => !target.IsMissing(r)).ToArray();
        if (validationFraction == 0)
        {
            return (present, []);
        }
        (int[] training, int[] validation) = ClassKeys(target, present, options) is { } labels
            ? DataSplit.StratifiedIndices(labels, validationFraction, rng)
            : DataSplit.RandomIndices(present.Length, validationFraction, rng);
        return (training.Select(i => present[i]).ToArray(), validation.Select(i => present[i]).ToArray());
    }

    /// <summary>
    /// Deals <paramref name="count"/> rows into <paramref name="folds"/> folds of (nearly) equal size, at random: the fold of each row.
    /// With <paramref name="labels"/> (class indices) the deal is stratified: each class is shuffled and dealt on from where the
    /// previous one stopped, so every fold holds about its share of every class.
    /// </summary>
    public static int[] Folds(int count, int folds, int[]? labels, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1);
        ArgumentNullException.ThrowIfNull(rng);
        if (labels is not null && labels.Length != count)
        {
            throw new ArgumentException($"Expected {count} labels. Received: {labels.Length}.", nameof(labels));
        }
        var fold = new int[count];
        int next = 0;
        foreach (int[] rows in labels is null ? [Ascending(count)] : RowsByLabel(labels))
        {
            rng.Shuffle<int>(rows);
            foreach (int row in rows) fold[row] = next++ % folds;
        }
        return fold;
    }

    // The rows of each label, ascending, the labels in ascending order. Class indices span a small range, so the rows are counted
    // into their places (RowsByFold over the labels less the smallest, the labels no row has left out): no LINQ's GroupBy over
    // ints, which is compiled at first use in every run (docs/performance.md, "Start-up"). Labels spread wider than the rows
    // (not class indices) take LINQ, with the same result.
    private static IEnumerable<int[]> RowsByLabel(int[] labels)
    {
        if (labels.Length == 0) return [];
        int min = labels[0], max = labels[0];
        foreach (int label in labels)
        {
            min = Math.Min(min, label);
            max = Math.Max(max, label);
        }
        if ((long)max - min > 2L * labels.Length + 64)
        {
            return Enumerable.Range(0, labels.Length).GroupBy(r => labels[r]).OrderBy(g => g.Key).Select(g => g.ToArray());
        }
        var keys = new int[labels.Length];
        for (int row = 0; row < keys.Length; row++) keys[row] = labels[row] - min;
        var groups = new List<int[]>();
        foreach (int[] rows in RowsByFold(keys, max - min + 1))
        {
            if (rows.Length > 0) groups.Add(rows);
        }
        return groups;
    }

    private static int[] Ascending(int count)
    {
        var rows = new int[count];
        for (int row = 0; row < count; row++) rows[row] = row;
        return rows;
    }

    /// <summary>The rows of each fold, ascending: entry <c>k</c> lists the rows whose <paramref name="folds"/> value is <c>k</c>.</summary>
    /// <param name="folds">The fold of each row, in <c>[0, <paramref name="count"/>)</c> (<see cref="Folds"/>).</param>
    /// <param name="count">Folds.</param>
    public static int[][] RowsByFold(IReadOnlyList<int> folds, int count)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var sizes = new int[count];
        foreach (int fold in folds)
        {
            if ((uint)fold >= (uint)count)
            {
                throw new ArgumentException($"Expected folds in [0, {count}). Received: {fold}.", nameof(folds));
            }
            sizes[fold]++;
        }
        var rows = new int[count][];
        for (int k = 0; k < count; k++) rows[k] = new int[sizes[k]];
        Array.Clear(sizes);
        for (int r = 0; r < folds.Count; r++) rows[folds[r]][sizes[folds[r]]++] = r;
        return rows;
    }

    // One key per row naming its class (ordered as the raw values sort), or null for a regression target.
    private static int[]? ClassKeys(TableColumn target, int[] rows, TabularOptions options)
    {
        Func<int, double> key = target.IsNumeric ? target.GetNumber : r => target.GetCode(r);
        bool classes = options.Task switch
        {
            TaskKind.Classification => true,
            TaskKind.Regression => false,
            _ => !target.IsNumeric || TabularPreprocessor.InferNumericTask(rows.Select(key).ToArray(), options) == TaskKind.Classification,
        };
        if (!classes)
        {
            return null;
        }
        double[] values = rows.Select(key).ToArray();
        double[] distinct = values.Distinct().Order().ToArray();
        return values.Select(v => Array.BinarySearch(distinct, v)).ToArray();
    }
}
