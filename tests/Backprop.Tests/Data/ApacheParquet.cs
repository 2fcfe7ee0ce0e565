using ParquetSharp;

namespace Backprop.Tests.Data;

/// <summary>
/// Writes Parquet files with Apache Arrow's C++ writer (through ParquetSharp): the files pandas, pyarrow, Spark and DuckDB
/// write (dictionary-encoded strings, compressed pages, several row groups), which Backprop's managed reader must read.
/// </summary>
internal static class ApacheParquet
{
    /// <summary>
    /// Writes <paramref name="columns"/> (a name and a typed array each: <c>double?[]</c>, <c>float[]</c>, <c>long[]</c>,
    /// <c>int?[]</c>, <c>short?[]</c>, <c>decimal?[]</c> (decimal(12, 3)), <c>bool?[]</c>, <c>string?[]</c>, <c>DateTime[]</c>,
    /// <c>int[][]</c> (a list column), <c>byte[][]</c> (binary)) in row groups of <paramref name="rowsPerGroup"/> rows.
    /// </summary>
    public static string Write(string path, int rowsPerGroup, Compression compression, params (string Name, Array Values)[] columns)
    {
        Column[] schema = columns.Select(c => c.Values switch
        {
            decimal?[] => new Column<decimal?>(c.Name, LogicalType.Decimal(12, 3)),
            _ => new Column(c.Values.GetType().GetElementType()!, c.Name),
        }).ToArray();
        int rows = columns[0].Values.Length;
        using (var file = new ParquetFileWriter(path, schema, compression))
        {
            for (int start = 0; start < rows || start == 0; start += rowsPerGroup)
            {
                int count = Math.Min(rowsPerGroup, rows - start);
                using RowGroupWriter group = file.AppendRowGroup();
                foreach ((_, Array values) in columns)
                {
                    using ColumnWriter column = group.NextColumn();
                    switch (values)
                    {
                        case double?[] v: Batch(column, v, start, count); break;
                        case double[] v: Batch(column, v, start, count); break;
                        case float[] v: Batch(column, v, start, count); break;
                        case long[] v: Batch(column, v, start, count); break;
                        case int?[] v: Batch(column, v, start, count); break;
                        case short?[] v: Batch(column, v, start, count); break;
                        case decimal?[] v: Batch(column, v, start, count); break;
                        case bool?[] v: Batch(column, v, start, count); break;
                        case string?[] v: Batch(column, v, start, count); break;
                        case DateTime[] v: Batch(column, v, start, count); break;
                        case int[][] v: Batch(column, v, start, count); break;
                        case byte[][] v: Batch(column, v, start, count); break;
                        default: throw new ArgumentException($"No writer for {values.GetType().Name}.");
                    }
                }
                if (rows == 0) break;
            }
            file.Close();
        }
        return path;
    }

    private static void Batch<T>(ColumnWriter column, T[] values, int start, int count)
    {
        using LogicalColumnWriter<T> writer = column.LogicalWriter<T>();
        writer.WriteBatch(values.AsSpan(start, count));
    }
}
