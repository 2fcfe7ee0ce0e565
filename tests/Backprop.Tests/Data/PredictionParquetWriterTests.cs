using Backprop.Data;
using Backprop.Tensors;

namespace Backprop.Tests.Data;

/// <summary><see cref="PredictionParquetWriter"/>: predictions written a chunk at a time are the file written at once.</summary>
public sealed class PredictionParquetWriterTests : TempFileTest
{
    [Fact]
    public void Chunks_make_the_file_of_one_write_in_row_groups_of_a_bounded_size()
    {
        const int Rows = 100_000;
        var random = new Random(1);
        int[] classes = [.. Enumerable.Range(0, Rows).Select(_ => random.Next(3))];
        var probabilities = new Matrix<double>(Rows, 3);
        for (int r = 0; r < Rows; r++) probabilities[r, classes[r]] = 1;
        string[] names = ["a", "b", "c"];
        string whole = Path.Combine(Files.Directory, "whole.parquet"), chunked = Path.Combine(Files.Directory, "chunked.parquet");
        using (FileStream stream = File.Create(whole)) PredictionParquet.WriteClasses(stream, names, classes, probabilities);
        using (FileStream stream = File.Create(chunked))
        using (var writer = new PredictionParquetWriter(stream))
        {
            // Chunks of 16,384 and a last short one, as predict reads them.
            for (int first = 0; first < Rows; first += 16_384)
            {
                int n = Math.Min(16_384, Rows - first);
                writer.WriteClasses(names, classes.AsSpan(first, n), new Matrix<double>(probabilities.RowRange(first, n).ToArray(), n, 3));
            }
            Assert.Equal(Rows, writer.Rows);
        }
        Table a = Table.Read(whole), b = Table.Read(chunked);
        Assert.Equal(["row", "label", "a", "b", "c"], b.ColumnNames);
        foreach (string column in b.ColumnNames)
        {
            TableColumn x = a.Find(column)!, y = b.Find(column)!;
            Assert.Equal(Enumerable.Range(0, Rows).Select(r => x.IsNumeric ? x.GetNumber(r).ToString() : x.GetText(r)),
                Enumerable.Range(0, Rows).Select(r => y.IsNumeric ? y.GetNumber(r).ToString() : y.GetText(r)));
        }
        // Row groups of RowsPerGroup rows (the last one shorter): a reader holds one at a time.
        int[] starts = b.PartOf(0).RowGroupStarts!;
        Assert.Equal(Enumerable.Range(0, (Rows + PredictionParquetWriter.RowsPerGroup - 1) / PredictionParquetWriter.RowsPerGroup)
            .Select(g => g * PredictionParquetWriter.RowsPerGroup), starts);
    }

    [Fact]
    public void Required_columns_of_many_row_groups_read_back_exactly_every_time()
    {
        // Parquet.Net 6.1.0, asked to read a required column into nullable values, sometimes made nulls of some and shifted
        // the rest (in the last, short row group): ParquetFile reads required columns as required.
        const int Rows = 200_000;
        string path = Path.Combine(Files.Directory, "values.parquet");
        double[] values = [.. Enumerable.Range(0, Rows).Select(r => r * 0.5)];
        using (FileStream stream = File.Create(path))
        using (var writer = new PredictionParquetWriter(stream))
        {
            for (int first = 0; first < Rows; first += 16_384) writer.WriteValues(values.AsSpan(first, Math.Min(16_384, Rows - first)));
        }
        for (int read = 0; read < 20; read++)
        {
            Table table = Table.Read(path);
            TableColumn row = table.Find("row")!, prediction = table.Find("prediction")!;
            int wrong = Enumerable.Range(0, Rows).Count(r => row.GetNumber(r) != r + 1 || prediction.GetNumber(r) != values[r]);
            Assert.True(wrong == 0, $"read {read}: {wrong} rows wrong");
        }
    }
}
