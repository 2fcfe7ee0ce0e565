using System.Globalization;
using System.Text.Json;
using Backprop.Tests.Data;
using ParquetSharp;

namespace Backprop.Tests.Cli;

/// <summary><c>train --stream</c> end to end: shards of CSV and Parquet streamed, the model evaluated, resumed, and bad values refused.</summary>
public sealed class StreamCliTests : TempFileTest
{
    // Rows told apart by x and a colour: a CSV shard and a Parquet shard (row groups of 500) in a folder.
    private string Shards(int rows)
    {
        string folder = Path.Combine(Files.Directory, "shards");
        Directory.CreateDirectory(folder);
        var random = new Random(3);
        var x = new double?[rows];
        var color = new string?[rows];
        var kind = new string?[rows];
        for (int i = 0; i < rows; i++)
        {
            bool a = random.Next(2) == 0;
            x[i] = Math.Round((a ? 1 : -1) + random.NextDouble() * 2, 3);
            color[i] = a ^ (random.Next(4) == 0) ? "red" : "blue";
            kind[i] = a ? "a" : "b";
        }
        int half = rows / 2;
        File.WriteAllLines(Path.Combine(folder, "part-0.csv"),
            ["x,color,kind", .. Enumerable.Range(0, half).Select(i => string.Create(CultureInfo.InvariantCulture, $"{x[i]},{color[i]},{kind[i]}"))]);
        ApacheParquet.Write(Path.Combine(folder, "part-1.parquet"), 500, Compression.Snappy,
            ("x", x[half..]), ("color", color[half..]), ("kind", kind[half..]));
        return folder;
    }

    [Fact]
    public void Trains_streamed_on_shards_then_evaluates_and_resumes()
    {
        string data = Shards(4000), model = Path.Combine(Files.Directory, "m.safetensors");
        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--stream", "--members", "1", "--validation", "0.2", "--hidden", "8", "--epochs", "3",
            "--save", model, "--json");
        Assert.True(exit == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("options").GetProperty("stream").GetBoolean());
        Assert.Equal(256_000_000, root.GetProperty("options").GetProperty("stream_memory").GetInt64());
        Assert.Equal(3, root.GetProperty("history").GetProperty("val_loss").GetArrayLength());
        string notes = string.Join("\n", root.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains($"streamed 4,000 rows × 3 columns of {data} (", notes);
        Assert.Contains("2 shards: Parquet and CSV, delimiter ','", notes);
        Assert.Contains("in a shuffle buffer of ", notes);
        Assert.True(root.GetProperty("validation").GetProperty("accuracy").GetDouble() > 0.7);

        var evaluated = CliRunner.Run("evaluate", "--model", model, "--data", data);
        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Contains("accuracy", evaluated.Output);

        var resumed = CliRunner.Run("train", "--resume", model, "--epochs", "4", "--save", model);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming ", resumed.Error);
        Assert.Contains("Epoch 3 ", resumed.Output);
    }

    [Theory]
    [InlineData(new[] { "--stream-memory", "lots" }, "--stream-memory: expected a size such as 512MB or 2GB. Received: 'lots'.")]
    [InlineData(new[] { "--stream-memory", "100KB" }, "--stream-memory: expected at least 1 MB. Received: 100 KB.")]
    [InlineData(new[] { "--stream", "--cross-fit" }, "--cross-fit: expected off with --stream (it predicts every row out of fold each epoch). Received: on.")]
    public void Bad_streaming_options_are_one_line_and_exit_code_2(string[] flags, string message)
    {
        string data = Shards(100);
        var (exit, output, error) = CliRunner.Run(["train", "--data", data, .. flags]);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: {message}\n", error);
    }

    [Fact]
    public void Streaming_an_embedded_data_set_is_refused_by_name()
    {
        var (exit, _, error) = CliRunner.Run("train", "--dataset", "iris", "--stream");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: --stream: expected a --data file to stream (an embedded --dataset is in memory). Received: 'iris'.", error);
    }
}
