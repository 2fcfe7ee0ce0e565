using System.Numerics;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Cli.Commands;

/// <summary>
/// Reads a CSV file for a trained model (<c>evaluate</c>, <c>predict</c>): the training columns, read and transformed exactly
/// as in training by the model's preprocessor; warnings (unseen categories, rows without a target) go to stderr.
/// </summary>
internal static class ModelData
{
    /// <summary>Labelled rows for <c>evaluate</c>: inputs and targets; rows whose target is missing are skipped with a warning.</summary>
    /// <exception cref="BackpropException">The file is unreadable, lacks a training column or the target, or holds a value that does not fit.</exception>
    public static Dataset<T> Labelled<T>(TabularPreprocessor preprocessor, string path, char? delimiter, TextWriter notes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Read(preprocessor, path, delimiter, notes, (table, warnings) => preprocessor.Transform<T>(table, warnings: warnings));

    /// <summary>Every row for <c>predict</c>, in file order: inputs only (the target column may be absent).</summary>
    /// <exception cref="BackpropException">The file is unreadable, lacks a training column, or holds a value that does not fit.</exception>
    public static Matrix<T> Unlabelled<T>(TabularPreprocessor preprocessor, string path, char? delimiter, TextWriter notes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Read(preprocessor, path, delimiter, notes, (table, warnings) => preprocessor.TransformFeatures<T>(table, warnings: warnings));

    private static TResult Read<TResult>(TabularPreprocessor preprocessor, string path, char? delimiter, TextWriter notes,
        Func<CsvTable, List<string>, TResult> transform)
    {
        var warnings = new List<string>();
        TResult result = transform(CsvTable.Read(path, preprocessor.ReadOptions(delimiter)), warnings);
        foreach (string warning in warnings) notes.WriteLine($"warning: {Printable.OneLine(warning)}");
        return result;
    }
}
