using System.Globalization;
using Backprop.Tests.Data;
using ParquetSharp;

namespace Backprop.Tests.Cli;

/// <summary><c>train</c>, <c>evaluate</c> and <c>predict</c> on Parquet files and shards, end to end.</summary>
public sealed class ParquetCliTests : TempFileTest
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Backprop.Cli.Cli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    // Two classes told apart by x and a category; a few nulls; written in row groups of 40 by Apache Arrow's C++ writer.
    private (string Parquet, string Csv) Data(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var x = new double?[rows];
        var color = new string?[rows];
        var kind = new string?[rows];
        var csv = new System.Text.StringBuilder("x,color,kind\n");
        for (int i = 0; i < rows; i++)
        {
            bool a = random.Next(2) == 0;
            x[i] = i % 17 == 5 ? null : Math.Round((a ? 1 : -1) + random.NextDouble() * 1.5, 3);
            color[i] = a ^ (random.Next(5) == 0) ? "red" : "blue";
            kind[i] = a ? "a" : "b";
            csv.Append(CultureInfo.InvariantCulture, $"{(x[i] is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "")},{color[i]},{kind[i]}\n");
        }
        string parquet = ApacheParquet.Write(Path.Combine(Files.Directory, name + ".parquet"), 40, Compression.Snappy, ("x", x), ("color", color), ("kind", kind));
        return (parquet, Files.Write(name + ".csv", csv.ToString()));
    }

    [Fact]
    public void Trains_evaluates_and_predicts_on_Parquet_as_on_the_same_CSV()
    {
        var (trainParquet, trainCsv) = Data("train", 200, 1);
        var (testParquet, testCsv) = Data("test", 100, 2);
        string fromParquet = Path.Combine(Files.Directory, "p.safetensors"), fromCsv = Path.Combine(Files.Directory, "c.safetensors");
        var (exit, output, error) = Run("train", "--data", trainParquet, "--hidden", "8", "--epochs", "5", "--save", fromParquet);
        Assert.True(exit == 0, error);
        Assert.Contains($"note: read 200 rows × 3 columns of {trainParquet} (Parquet): ", error);
        var csvRun = Run("train", "--data", trainCsv, "--hidden", "8", "--epochs", "5", "--save", fromCsv);
        Assert.Equal(0, csvRun.Exit);
        Assert.Equal(output.Replace(fromParquet, fromCsv), csvRun.Output); // every epoch's loss, the metrics

        string evaluation = Run("evaluate", "--model", fromParquet, "--data", testParquet).Output;
        Assert.Equal(evaluation.Replace("test.parquet", "test.csv"), Run("evaluate", "--model", fromCsv, "--data", testCsv).Output);

        string predictions = Path.Combine(Files.Directory, "predictions.parquet");
        (exit, output, error) = Run("predict", "--model", fromParquet, "--data", testParquet, "--proba", "--set", "0.9", "--out", predictions);
        Assert.True(exit == 0, error);
        Assert.Equal($"Wrote 100 predictions to {predictions}\n", output);
        string[] csvLines = Run("predict", "--model", fromCsv, "--data", testCsv, "--proba", "--set", "0.9").Output.TrimEnd('\n').Split('\n');

        // Read back by Apache Arrow's C++ reader: typed columns, the same values as the CSV output.
        using var file = new ParquetFileReader(predictions);
        Assert.Equal(["row", "label", "a", "b", "set"], Enumerable.Range(0, file.FileMetaData.NumColumns).Select(c => file.FileMetaData.Schema.Column(c).Name));
        using RowGroupReader group = file.RowGroup(0);
        long[] rows = group.Column(0).LogicalReader<long>().ReadAll(100);
        string[] labels = group.Column(1).LogicalReader<string>().ReadAll(100);
        double[] probabilityOfA = group.Column(2).LogicalReader<double>().ReadAll(100);
        string[] sets = group.Column(4).LogicalReader<string>().ReadAll(100);
        Assert.Equal("row,label,a,b,set", csvLines[0]);
        for (int i = 0; i < 100; i++)
        {
            string[] cells = csvLines[i + 1].Split(',');
            Assert.Equal(i + 1, rows[i]);
            Assert.Equal(cells[1], labels[i]);
            Assert.Equal(float.Parse(cells[2], CultureInfo.InvariantCulture), (float)probabilityOfA[i]); // the float32 model's probability, exactly
            Assert.Equal(cells[4], sets[i]);
        }
    }

    [Fact]
    public void Regression_predictions_with_intervals_are_doubles()
    {
        string data = ApacheParquet.Write(Path.Combine(Files.Directory, "r.parquet"), 64, Compression.Zstd,
            ("x", Enumerable.Range(0, 120).Select(i => (double?)(i / 10.0)).ToArray()),
            ("y", Enumerable.Range(0, 120).Select(i => (double?)(2 * i / 10.0 + Math.Sin(i))).ToArray()));
        string model = Path.Combine(Files.Directory, "r.safetensors"), predictions = Path.Combine(Files.Directory, "r-predictions.parquet");
        Assert.Equal(0, Run("train", "--data", data, "--hidden", "8", "--epochs", "5", "--save", model).Exit);
        var (exit, _, error) = Run("predict", "--model", model, "--data", data, "--interval", "0.9", "--out", predictions);
        Assert.True(exit == 0, error);
        using var file = new ParquetFileReader(predictions);
        Assert.Equal(["row", "prediction", "lower", "upper"], Enumerable.Range(0, file.FileMetaData.NumColumns).Select(c => file.FileMetaData.Schema.Column(c).Name));
        using RowGroupReader group = file.RowGroup(0);
        double[] value = group.Column(1).LogicalReader<double>().ReadAll(120), lower = group.Column(2).LogicalReader<double>().ReadAll(120),
            upper = group.Column(3).LogicalReader<double>().ReadAll(120);
        Assert.All(Enumerable.Range(0, 120), i => Assert.True(lower[i] < value[i] && value[i] < upper[i]));
    }

    [Fact]
    public void A_quoted_glob_of_shards_trains_and_says_what_it_read()
    {
        var (_, csv) = Data("all", 120, 3);
        string[] lines = File.ReadAllLines(csv);
        string folder = Path.Combine(Files.Directory, "shards");
        Directory.CreateDirectory(folder);
        for (int s = 0; s < 3; s++)
        {
            File.WriteAllLines(Path.Combine(folder, $"part-{s:D5}.csv"), [lines[0], .. lines.Skip(1 + 40 * s).Take(40)]);
        }
        var (exit, output, error) = Run("train", "--data", Path.Combine(folder, "part-*.csv"), "--hidden", "8", "--epochs", "3");
        Assert.True(exit == 0, error);
        Assert.Contains($"note: read 120 rows × 3 columns of {Path.Combine(folder, "part-*.csv")} (3 shards: delimiter ','): ", error);
        Assert.Equal(Run("train", "--data", csv, "--hidden", "8", "--epochs", "3").Output, output);
        Assert.Equal(output, Run("train", "--data", folder, "--hidden", "8", "--epochs", "3").Output);

        // Commands name shards by the glob or folder given, not by one file's name.
        string model = Path.Combine(Files.Directory, "shards.safetensors");
        Assert.Equal(0, Run("train", "--data", folder, "--hidden", "8", "--epochs", "3", "--save", model).Exit);
        Assert.StartsWith($"Evaluation of {Path.Combine(folder, "part-*.csv")} (120 samples)\n", Run("evaluate", "--model", model, "--data", Path.Combine(folder, "part-*.csv")).Output);
        Assert.StartsWith($"Evaluation of {folder} (120 samples)\n", Run("evaluate", "--model", model, "--data", folder).Output);
    }

    [Fact]
    public void A_damaged_Parquet_file_is_one_error_line_and_exit_code_1()
    {
        var (parquet, _) = Data("d", 50, 4);
        byte[] bytes = File.ReadAllBytes(parquet);
        string cut = Files.WriteBytes("cut.parquet", bytes[..(bytes.Length - 20)]);
        var (exit, output, error) = Run("train", "--data", cut);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"error: Expected a Parquet file. Received: {cut}, which could not be read as one (", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
