using System.Numerics;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Cli.Commands;

/// <summary>
/// Where <c>train</c> gets its data: a CSV file (<c>--data</c>) or an embedded data set, both through the same preprocessing,
/// fitted on the training rows only, so that a saved model applies exactly the transform it was trained with.
/// </summary>
internal static class TrainData
{
    /// <summary>Reads, splits (<c>--validation</c>), fits the preprocessing on the training rows and encodes both parts.</summary>
    /// <param name="settings">The run's options.</param>
    /// <param name="notes">Where notes (dropped, imputed columns) and warnings go, as lines starting with <c>note:</c> or <c>warning:</c>.</param>
    /// <param name="fitted">The preprocessing of a resumed model, applied as it is; <see langword="null"/> to fit one.</param>
    /// <exception cref="BackpropException">The file is unreadable or unusable; the message says where and why.</exception>
    public static PreparedData<T> Prepare<T>(TrainSettings settings, TextWriter notes, TabularPreprocessor? fitted = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DataSettings? data = settings.Data;
        TabularOptions options = (data?.ToTabularOptions() ?? new TabularOptions()) with
        {
            Task = settings.Regression ? TaskKind.Regression : null,
        };
        CsvTable table = data is null
            ? EmbeddedDatasets.ReadTable(settings.Dataset, options.ReadOptions())
            : CsvTable.Read(data.Path, options.ReadOptions(data.Delimiter));
        TabularPreprocessor preprocessor = fitted ?? TabularPreprocessor.Fit(table, options);
        int[]? trainRows = null, validationRows = null;
        if (settings.Validation > 0)
        {
            // The split has a generator of its own, derived from the seed, so that a resumed run (whose training generator
            // continues from the saved state) holds out exactly the same rows as the run it continues.
            (trainRows, validationRows) = Split(table, preprocessor, settings.Validation, new Rng(settings.Seed ^ SplitSeedSalt));
            // Refit on the training rows alone: held-out rows must not leak into the scaler or the imputation values.
            preprocessor = fitted ?? TabularPreprocessor.Fit(table, options, trainRows);
        }
        var warnings = new List<string>();
        Dataset<T> train = preprocessor.Transform<T>(table, trainRows, warnings);
        Dataset<T>? validation = validationRows is null ? null : preprocessor.Transform<T>(table, validationRows, warnings);
        foreach (string note in preprocessor.Notes) notes.WriteLine($"note: {note}");
        foreach (string warning in warnings.Except(preprocessor.Notes)) notes.WriteLine($"warning: {warning}");
        return new PreparedData<T>(train, validation, preprocessor);
    }

    private const ulong SplitSeedSalt = 0x5EED_5B11_7000_0001;

    // Stratified by the raw target value for classification, random for regression; rows with a missing target take no part.
    private static (int[] Train, int[] Validation) Split(CsvTable table, TabularPreprocessor preprocessor, double fraction, Rng rng)
    {
        TableColumn target = table.Find(preprocessor.State.Target.Name)!;
        int[] rows = Enumerable.Range(0, table.RowCount).Where(r => !target.IsMissing(r)).ToArray();
        (int[] train, int[] held) = preprocessor.Task == TaskKind.Regression
            ? DataSplit.RandomIndices(rows.Length, fraction, rng)
            : DataSplit.StratifiedIndices(ClassKeys(target, rows), fraction, rng);
        return (train.Select(i => rows[i]).ToArray(), held.Select(i => rows[i]).ToArray());
    }

    // One integer per row naming its class, in the sorted order of the raw values (the label encoder's order).
    private static int[] ClassKeys(TableColumn target, int[] rows)
    {
        if (target.IsNumeric)
        {
            double[] values = rows.Select(target.GetNumber).ToArray();
            double[] distinct = values.Distinct().Order().ToArray();
            return values.Select(v => Array.BinarySearch(distinct, v)).ToArray();
        }
        string[] texts = rows.Select(r => target.GetText(r)!).ToArray();
        string[] sorted = texts.Distinct().Order(StringComparer.Ordinal).ToArray();
        return texts.Select(t => Array.BinarySearch(sorted, t, StringComparer.Ordinal)).ToArray();
    }
}
