using System.Numerics;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Cli.Commands;

/// <summary>
/// Reads a CSV file for a trained model (<c>evaluate</c>, <c>predict</c>): the training columns, read and transformed exactly
/// as in training by the model's preprocessor; what the transform noticed (unseen categories, imputed cells, rows without a
/// target) goes to the command's <see cref="Remarks"/>.
/// </summary>
internal static class ModelData
{
    /// <summary>Labelled rows for <c>evaluate</c>: inputs and targets; rows whose target is missing are skipped with a warning.</summary>
    /// <exception cref="BackpropException">The file is unreadable, lacks a training column or the target, or holds a value that does not fit.</exception>
    public static Dataset<T> Labelled<T>(TabularPreprocessor preprocessor, string path, char? delimiter, char? decimalSeparator, Remarks remarks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var warnings = new List<string>();
        var imputed = new List<string>();
        Dataset<T> data = preprocessor.Transform<T>(Read(preprocessor, path, delimiter, decimalSeparator, remarks), warnings: warnings, notes: imputed);
        remarks.AddAll(warnings, imputed);
        return data;
    }

    /// <summary>
    /// The rows a command reads at a time (<c>predict</c>, <c>evaluate</c>; a Parquet file's row group instead): a chunk of a few tens
    /// of columns is a few MB, so the command's memory is a chunk's, whatever the file.
    /// </summary>
    public const int RowsPerChunk = 16_384;

    /// <summary>
    /// The file's rows as <see cref="Read"/> reads them, <see cref="RowsPerChunk"/> of a CSV file (or a Parquet row group) at a time;
    /// what the reader inferred about the layout (<see cref="Table.Notes"/>) is noted once.
    /// </summary>
    public static IEnumerable<Table> ReadChunks(TabularPreprocessor preprocessor, string path, char? delimiter, char? decimalSeparator, Remarks remarks)
    {
        var said = new HashSet<string>(StringComparer.Ordinal);
        foreach (Table chunk in Table.ReadChunks(path, preprocessor.ReadOptions(delimiter) with { Decimal = decimalSeparator }, RowsPerChunk))
        {
            foreach (string note in chunk.Notes) if (said.Add(note)) remarks.Note(note);
            yield return chunk;
        }
    }

    /// <summary>How a command names its data in headings: the file's name, or a folder or glob of shards as given.</summary>
    public static string Name(string path) =>
        path.AsSpan().IndexOfAny('*', '?') >= 0 || Directory.Exists(path) ? path : Path.GetFileName(path);

    /// <summary>The file's rows, read with the columns that were text in training kept as text (<c>predict</c> transforms them with the model).</summary>
    /// <remarks>The delimiter and the decimal separator are detected unless given (<paramref name="delimiter"/>, <paramref name="decimalSeparator"/>).</remarks>
    /// <exception cref="BackpropException">The file is missing or not a well-formed CSV file.</exception>
    public static Table Read(TabularPreprocessor preprocessor, string path, char? delimiter, char? decimalSeparator, Remarks remarks)
    {
        Table table = Table.Read(path, preprocessor.ReadOptions(delimiter) with { Decimal = decimalSeparator });
        foreach (string note in table.Notes) remarks.Note(note);
        return table;
    }

}
