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
            Task = settings.Regression ? TaskKind.Regression : settings.Classification ? TaskKind.Classification : null,
        };
        if (fitted is not null)
        {
            // A resumed model's own target and task, whatever the options say: they decide the split.
            options = options with { Target = fitted.State.Target.Name, Task = fitted.Task };
        }
        CsvTable table = data is null
            ? EmbeddedDatasets.ReadTable(settings.Dataset, options.ReadOptions())
            : CsvTable.Read(data.Path, options.ReadOptions(data.Delimiter));
        int[]? trainRows = null, validationRows = null;
        if (settings.Validation > 0)
        {
            // The split has a generator of its own, derived from the seed, so that a resumed run (whose training generator
            // continues from the saved state) holds out exactly the same rows as the run it continues.
            (trainRows, validationRows) = RowSplit.TrainValidation(table, options, settings.Validation, new Rng(settings.Seed ^ SplitSeedSalt));
        }
        // Fitted on the training rows alone: held-out rows must not leak into the scaler or the imputation values.
        TabularPreprocessor preprocessor = fitted ?? TabularPreprocessor.Fit(table, options, trainRows);
        var warnings = new List<string>();
        Dataset<T> train = preprocessor.Transform<T>(table, trainRows, warnings);
        Dataset<T>? validation = validationRows is null ? null : preprocessor.Transform<T>(table, validationRows, warnings);
        if (settings.ValidationData is { } validationPath)
        {
            // Encoded with the preprocessing fitted on the training file, as predictions on new data will be.
            CsvTable validationTable = CsvTable.Read(validationPath, preprocessor.ReadOptions(data?.Delimiter));
            validation = preprocessor.Transform<T>(validationTable, warnings: warnings);
        }
        if (data is not null) notes.WriteLine($"note: {Summary(table, preprocessor)}");
        foreach (string note in preprocessor.Notes) notes.WriteLine($"note: {note}");
        foreach (string warning in warnings.Except(preprocessor.Notes)) notes.WriteLine($"warning: {warning}");
        return new PreparedData<T>(train, validation, preprocessor);
    }

    private const ulong SplitSeedSalt = 0x5EED_5B11_7000_0001;

    // "read 178 rows × 14 columns of wine.csv (delimiter ','): 13 inputs from 13 numeric columns; target 'cultivar', 3 classes"
    private static string Summary(CsvTable table, TabularPreprocessor preprocessor)
    {
        string delimiter = table.Delimiter == '\t' ? "tab" : $"'{table.Delimiter}'";
        string kinds = string.Join(", ", preprocessor.State.Features.GroupBy(f => f.Kind).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        string target = preprocessor.Task == TaskKind.Regression ? "regression" : $"{preprocessor.ClassNames!.Count} classes";
        return $"read {table.RowCount:N0} rows × {table.Columns.Count} columns of {table.Source} (delimiter {delimiter}): " +
            $"{preprocessor.FeatureCount} inputs from {kinds} column(s); target '{preprocessor.State.Target.Name}', {target}";
    }
}
