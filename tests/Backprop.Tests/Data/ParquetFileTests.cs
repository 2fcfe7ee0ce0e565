using Backprop.Data;
using Backprop.Estimators;
using Backprop.Preprocessing;
using ParquetSharp;

namespace Backprop.Tests.Data;

public sealed class ParquetFileTests : TempFileTest
{
    private static readonly string WineCsv = EmbeddedText("wine");

    private static string EmbeddedText(string name)
    {
        using Stream stream = typeof(Table).Assembly.GetManifestResourceStream($"Backprop.Data.{name}.csv")!;
        return new StreamReader(stream).ReadToEnd();
    }

    // The wine data set as a Parquet file of doubles (the class label as a string), in row groups of 50 rows.
    private string WineParquet(string name = "wine.parquet", Compression compression = Compression.Snappy)
    {
        string[] lines = WineCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] header = lines[0].Split(',');
        string[][] rows = lines[1..].Select(l => l.Split(',')).ToArray();
        var columns = header.Select((h, c) => rows.All(r => double.TryParse(r[c], System.Globalization.CultureInfo.InvariantCulture, out _))
            ? (h, (Array)rows.Select(r => (double?)double.Parse(r[c], System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            : (h, rows.Select(r => (string?)r[c]).ToArray())).ToArray();
        return ApacheParquet.Write(Path.Combine(Files.Directory, name), 50, compression, columns);
    }

    private static void AssertSameColumns(Table expected, Table actual)
    {
        Assert.Equal(expected.ColumnNames, actual.ColumnNames);
        Assert.Equal(expected.RowCount, actual.RowCount);
        foreach (TableColumn e in expected.Columns)
        {
            TableColumn a = actual.Find(e.Name)!;
            Assert.Equal(e.IsNumeric, a.IsNumeric);
            Assert.Equal(e.MissingCount, a.MissingCount);
            if (e.IsNumeric)
            {
                Assert.Equal(Enumerable.Range(0, e.Count).Select(e.GetNumber), Enumerable.Range(0, a.Count).Select(a.GetNumber));
            }
            else
            {
                Assert.Equal(e.Levels, a.Levels);
                Assert.Equal(Enumerable.Range(0, e.Count).Select(e.GetCode), Enumerable.Range(0, a.Count).Select(a.GetCode));
            }
        }
    }

    [Theory]
    [InlineData(Compression.Snappy)]
    [InlineData(Compression.Gzip)]
    [InlineData(Compression.Zstd)]
    [InlineData(Compression.Lz4)]
    [InlineData(Compression.Brotli)]
    [InlineData(Compression.Uncompressed)]
    public void Reads_the_table_the_CSV_file_of_the_same_data_gives(Compression compression)
    {
        Table csv = Table.Read(Files.Write("wine.csv", WineCsv));
        Table parquet = Table.Read(WineParquet(compression: compression));
        AssertSameColumns(csv, parquet);
        Assert.Equal("Parquet", parquet.Format);
        Assert.Equal(51, parquet.LineOf(50));
        Assert.Equal($"{parquet.Source} row 51 (row group 2 of 4)", parquet.LocationOf(50));
    }

    [Fact]
    public void A_file_of_several_large_row_groups_reads_as_its_CSV_does()
    {
        // 40,000 rows in 4 row groups of 10,000: pages, dictionaries and levels that span more than one buffer.
        const int Rows = 40_000;
        var random = new Random(3);
        var x = new double?[Rows];
        var n = new long[Rows];
        var word = new string?[Rows];
        var flag = new bool?[Rows];
        var csv = new System.Text.StringBuilder("x,n,word,flag\n");
        for (int i = 0; i < Rows; i++)
        {
            x[i] = i % 97 == 0 ? null : Math.Round(random.NextDouble() * 100 - 50, 3);
            n[i] = random.Next(1000);
            word[i] = i % 89 == 0 ? null : $"w{random.Next(40)}";
            flag[i] = i % 83 == 0 ? null : random.Next(2) == 0;
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{(x[i] is double v ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "")},{n[i]},{word[i]},{(flag[i] is bool b ? (b ? "true" : "false") : "")}\n");
        }
        string parquet = ApacheParquet.Write(Path.Combine(Files.Directory, "large.parquet"), 10_000, Compression.Snappy,
            ("x", x), ("n", n), ("word", word), ("flag", flag));
        Table table = Table.Read(parquet);
        AssertSameColumns(Table.Read(Files.Write("large.csv", csv.ToString())), table);
        Assert.Equal($"{parquet} row 30,001 (row group 4 of 4)", table.LocationOf(30_000));
    }

    [Fact]
    public void Trains_the_same_model_as_on_the_CSV_file()
    {
        var options = new TabularTrainingOptions { HiddenLayers = [8], Epochs = 3, Members = 2, Seed = 3 };
        TabularTrainingResult<float> fromCsv = new TabularTrainer<float>(options with { Data = Files.Write("wine.csv", WineCsv) }).Fit();
        TabularTrainingResult<float> fromParquet = new TabularTrainer<float>(options with { Data = WineParquet() }).Fit();
        Assert.Equal(fromCsv.Model.Network.Parameters, fromParquet.Model.Network.Parameters);
        Assert.Equal(fromCsv.Model.Temperature, fromParquet.Model.Temperature);
    }

    [Fact]
    public void Reads_every_type_as_a_CSV_file_would_hold_it()
    {
        string path = ApacheParquet.Write(Path.Combine(Files.Directory, "types.parquet"), 2, Compression.Snappy,
            ("x", new double?[] { 1.5, null, double.NaN, 4 }),
            ("f", new float[] { 0.25f, 1, 2, 3 }),
            ("n", new long[] { 1, 2, 3, 1L << 40 }),
            ("small", new short?[] { 7, null, -7, 0 }),
            ("price", new decimal?[] { 1.250m, null, -3.5m, 0 }),
            ("flag", new bool?[] { true, false, null, true }),
            ("name", new string?[] { "a", null, "NA", "b" }),
            ("code", new string?[] { "1.50", "2", null, "3" }),
            ("when", new[] { new DateTime(2024, 1, 1), new DateTime(2024, 1, 2, 3, 4, 5), new DateTime(2024, 1, 3), new DateTime(2024, 1, 3) }));
        Table table = Table.Read(path);
        Assert.Equal(["x", "f", "n", "small", "price", "flag", "name", "code", "when"], table.ColumnNames);
        double[] Numbers(string name) => Enumerable.Range(0, 4).Select(table.Find(name)!.GetNumber).ToArray();
        Assert.Equal([1.5, double.NaN, double.NaN, 4], Numbers("x"));
        Assert.Equal(2, table.Find("x")!.MissingCount);
        Assert.Equal([0.25, 1, 2, 3], Numbers("f"));
        Assert.Equal([1, 2, 3, 1L << 40], Numbers("n"));
        Assert.Equal([7, double.NaN, -7, 0], Numbers("small"));
        Assert.Equal([1.25, double.NaN, -3.5, 0], Numbers("price"));
        Assert.Equal(["true", "false", null, "true"], Enumerable.Range(0, 4).Select(table.Find("flag")!.GetText));
        // Strings are cells: "NA" is missing, as in a CSV file, and a string column of numbers is numeric.
        Assert.Equal(["a", null, null, "b"], Enumerable.Range(0, 4).Select(table.Find("name")!.GetText));
        Assert.Equal([1.5, 2, double.NaN, 3], Numbers("code"));
        Assert.Equal(["2024-01-01", "2024-01-02T03:04:05", "2024-01-03"], table.Find("when")!.Levels);
        Assert.Equal("null", table.Find("small")!.FirstMissingText);
    }

    [Fact]
    public void A_string_column_of_numbers_then_text_keeps_the_numbers_spelling()
    {
        string path = ApacheParquet.Write(Path.Combine(Files.Directory, "codes.parquet"), 2, Compression.Snappy,
            ("code", new string?[] { "1.50", "007", "x9", "1.50" }), ("y", new double[] { 1, 2, 3, 4 }));
        TableColumn code = Table.Read(path).Find("code")!;
        Assert.False(code.IsNumeric);
        Assert.Equal(["1.50", "007", "x9"], code.Levels);
        Assert.Equal(2, code.FirstNonNumericRow);
    }

    [Fact]
    public void Numeric_columns_asked_to_be_text_become_their_invariant_text()
    {
        string path = ApacheParquet.Write(Path.Combine(Files.Directory, "c.parquet"), 10, Compression.Snappy,
            ("zip", new long[] { 75001, 10115, 75001 }), ("ratio", new double[] { 0.1, 2.5, 1e-7 }), ("y", new double[] { 1, 2, 3 }));
        Table table = Table.Read(path, new CsvReadOptions(TextColumns: ["zip", "ratio"]));
        Assert.Equal(["75001", "10115"], table.Find("zip")!.Levels);
        Assert.Equal(["0.1", "2.5", "1E-07"], table.Find("ratio")!.Levels);
    }

    [Fact]
    public void A_Parquet_file_is_known_by_its_bytes_whatever_its_name()
    {
        string path = WineParquet("wine.data");
        Assert.Equal(178, Table.Read(path).RowCount);
    }

    [Fact]
    public void Errors_name_the_file_the_row_and_the_row_group()
    {
        string path = ApacheParquet.Write(Path.Combine(Files.Directory, "bad.parquet"), 3, Compression.Snappy,
            ("x", new double?[] { 1, 2, 3, 4, double.PositiveInfinity, 6, 7 }), ("y", new double?[] { 1, 2, 3, 4, 5, null, 7 }));
        Table table = Table.Read(path);
        var error = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table, new TabularOptions(Target: "y")));
        Assert.Equal($"Expected finite numbers in column 'x'. Received: 'Infinity' at {path} row 5 (row group 2 of 3).", error.Message);
        error = Assert.Throws<BackpropException>(() =>
            TabularPreprocessor.Fit(Table.Read(path), new TabularOptions(Target: "x", Missing: MissingValueStrategy.Error)));
        Assert.Equal($"Expected no missing values (missing = error). Received: 'null' in column 'y' at {path} row 6 (row group 2 of 3).", error.Message);
    }

    [Fact]
    public void Damaged_files_and_columns_that_cannot_be_features_are_one_line_errors()
    {
        string good = WineParquet();
        byte[] bytes = File.ReadAllBytes(good);
        string cut = Files.WriteBytes("cut.parquet", bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<BackpropException>(() => Table.Read(cut));
        Assert.StartsWith($"Expected a Parquet file. Received: {cut}, which could not be read as one (", error.Message);
        Assert.EndsWith("): damaged or cut short, or not Parquet?", error.Message);

        string text = Files.Write("text.parquet", "a,b\n1,2\n");
        Assert.StartsWith("Expected a Parquet file.", Assert.Throws<BackpropException>(() => Table.Read(text)).Message);

        // Lists and binary values cannot be cells: read as columns of missing cells, refused by name where they would be used.
        string lists = ApacheParquet.Write(Path.Combine(Files.Directory, "lists.parquet"), 10, Compression.Snappy,
            ("tags", new[] { new[] { 1, 2 }, new[] { 3 }, [4], [5, 6] }), ("blob", new[] { new byte[] { 1 }, [2], [3], [4] }),
            ("x", new double[] { 1, 2, 3, 4 }), ("y", new double[] { 1, 2, 1, 2 }));
        Table table = Table.Read(lists);
        Assert.Equal($"Expected columns of numbers, text, booleans, dates or times in {lists}. Received: 'tags', a list column; " +
            "leave it out (--drop) or write it as such a column.", Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table)).Message);
        Assert.Contains("Received: 'blob', a column of binary values;",
            Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table, new TabularOptions(Drop: ["tags"]))).Message);
        var fitted = TabularPreprocessor.Fit(table, new TabularOptions(Drop: ["tags", "blob"]));
        Assert.Equal(["x"], fitted.State.Features.Select(f => f.Name));
        Assert.Equal(4, fitted.Transform<double>(table).Count); // the model's columns are read; the others do not matter

        string empty = ApacheParquet.Write(Path.Combine(Files.Directory, "empty.parquet"), 10, Compression.Snappy,
            ("x", Array.Empty<double>()), ("y", Array.Empty<double>()));
        Assert.Equal($"Expected data rows. Received: none in {empty} (columns: x, y).", Assert.Throws<BackpropException>(() => Table.Read(empty)).Message);
    }

    [Fact]
    public void A_file_larger_than_the_memory_allowed_is_refused_while_reading()
    {
        string path = WineParquet();
        var error = Assert.Throws<TooLargeForMemoryException>(() => Table.Read(path, new CsvReadOptions(MaxMemory: 10_000)));
        Assert.StartsWith($"Expected data that fits in memory. Received: {path}", error.Message);
    }
}
