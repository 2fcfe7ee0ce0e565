using System.Numerics;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Cli.Commands;

/// <summary>Where <c>train</c> gets its data: a CSV file (<c>--data</c>) through the preprocessor, or an embedded data set.</summary>
internal static class TrainData
{
    /// <summary>The standardized training data set <paramref name="settings"/> asks for.</summary>
    /// <exception cref="BackpropException">The CSV file is unreadable or unusable (the message says where and why).</exception>
    public static Dataset<T> Load<T>(TrainSettings settings) where T : unmanaged, IFloatingPointIeee754<T> =>
        (settings.Data is null ? PrepareEmbedded<T>(settings.Dataset) : Prepare<T>(settings.Data)).Training;

    /// <summary>
    /// An embedded data set standardized as the notebook does (<see cref="StandardScaler{T}"/> on the parsed features), with a
    /// preprocessor holding the same statistics, so that a model trained on it can be saved and used on CSV files like any other.
    /// </summary>
    public static PreparedData<T> PrepareEmbedded<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset<T> raw = EmbeddedDatasets.Load<T>(name);
        var scaler = StandardScaler<T>.Fit(raw.Features);
        FeatureColumnState[] features = raw.FeatureNames
            .Select((feature, c) => new FeatureColumnState(feature, FeatureKind.Numeric, scaler.Mean[c], scaler.Scale[c], Fill: scaler.Mean[c]))
            .ToArray();
        var target = new TargetColumnState(EmbeddedDatasets.ReadTable(name).ColumnNames[^1], TaskKind.Classification, Numeric: false, [.. raw.ClassNames!]);
        var preprocessor = new TabularPreprocessor(
            new TabularPreprocessorState(TabularPreprocessorState.CurrentVersion, MissingValueStrategy.Mean, features, target));
        return new PreparedData<T>(raw.WithFeatures(scaler.Transform(raw.Features)), null, preprocessor);
    }

    /// <summary>
    /// Reads the CSV file, optionally splits off validation rows, fits the preprocessing on the training rows only and
    /// transforms both; notes (dropped and imputed columns) and warnings go to <see cref="DataSettings.Notes"/> as lines
    /// starting with <c>note:</c> or <c>warning:</c>.
    /// </summary>
    /// <param name="data">The file and how to read it.</param>
    /// <param name="validationFraction">Fraction of rows held out (stratified by class), in [0, 1); 0 for none.</param>
    /// <param name="splitRng">Draws the split; required when <paramref name="validationFraction"/> is above 0.</param>
    /// <exception cref="BackpropException">The file is unreadable or unusable, or its target is not classes.</exception>
    public static PreparedData<T> Prepare<T>(DataSettings data, double validationFraction = 0, Rng? splitRng = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TabularOptions options = data.ToTabularOptions();
        CsvTable table = CsvTable.Read(data.Path, options.ReadOptions(data.Delimiter));
        int[]? trainingRows = null, validationRows = null;
        if (validationFraction > 0)
        {
            ArgumentNullException.ThrowIfNull(splitRng);
            (trainingRows, validationRows) = RowSplit.TrainValidation(table, options, validationFraction, splitRng);
        }
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table, options, trainingRows);
        if (preprocessor.Task != TaskKind.Classification)
        {
            throw new BackpropException(
                $"Expected a class target: strings, or integers with at most {options.MaxClassesForNumericTarget} distinct values. " +
                $"Received: column '{preprocessor.State.Target.Name}' of {data.Path}, numbers with more distinct values (a regression target, not supported by train yet).");
        }
        var warnings = new List<string>();
        Dataset<T> training = preprocessor.Transform<T>(table, trainingRows, warnings);
        Dataset<T>? validation = validationRows is null ? null : preprocessor.Transform<T>(table, validationRows, warnings);
        data.Notes.WriteLine($"note: {Summary(table, preprocessor)}");
        foreach (string note in preprocessor.Notes) data.Notes.WriteLine($"note: {note}");
        foreach (string warning in warnings.Except(preprocessor.Notes)) data.Notes.WriteLine($"warning: {warning}");
        return new PreparedData<T>(training, validation, preprocessor);
    }

    // "read 178 rows × 14 columns of wine.csv (delimiter ','): 13 inputs from 13 numeric columns; target 'cultivar', 3 classes"
    private static string Summary(CsvTable table, TabularPreprocessor preprocessor)
    {
        string delimiter = table.Delimiter == '\t' ? "tab" : $"'{table.Delimiter}'";
        string kinds = string.Join(", ", preprocessor.State.Features.GroupBy(f => f.Kind).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        return $"read {table.RowCount:N0} rows × {table.Columns.Count} columns of {table.Source} (delimiter {delimiter}): " +
            $"{preprocessor.FeatureCount} inputs from {kinds} column(s); target '{preprocessor.State.Target.Name}', {preprocessor.ClassNames?.Count ?? 0} classes";
    }
}
