using System.Diagnostics;
using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>
/// A file too large for memory is refused while it is read, from its first rows and its size, with a line that says both;
/// not read until the runtime aborts with "Out of memory." (exit 134).
/// </summary>
public sealed class MemoryBudgetTests : TempFileTest
{
    // 11 integer columns: about 3 bytes a cell on disk, 8 in the table.
    private string Numbers(int rows)
    {
        var text = new StringBuilder("a,b,c,d,e,f,g,h,i,j,y\n");
        var random = new Random(4);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 10; c++) text.Append(random.Next(100)).Append(',');
            text.Append(r % 2).Append('\n');
        }
        return Files.Write("numbers.csv", text.ToString());
    }

    [Fact]
    public void A_file_whose_table_would_exceed_the_bound_is_refused_from_its_first_rows()
    {
        string path = Numbers(50_000); // 1.5 MB on disk, 4.6 MB as a table
        var e = Assert.Throws<TooLargeForMemoryException>(() => Table.Read(path, new CsvReadOptions(MaxMemory: 2_000_000)));
        Assert.Matches(@"^Expected data that fits in memory\. Received: .*numbers\.csv, 1\.\d MB, which would take about 4\.\d MB as a table " +
            @"\(from its first 4,096 rows\), more than the 2 MB available for it; train --stream reads data larger than memory in chunks; to read it whole, use a sample of its rows or fewer columns\.$",
            e.Message);

        Assert.Equal(50_000, Table.Read(path, new CsvReadOptions(MaxMemory: 6_000_000)).RowCount);
        Assert.Equal(50_000, Table.Read(path).RowCount); // the default: the memory the process can take
    }

    [Fact]
    public void Data_of_unknown_length_is_refused_once_the_table_holds_more_than_the_bound()
    {
        byte[] bytes = File.ReadAllBytes(Numbers(50_000));
        var e = Assert.Throws<TooLargeForMemoryException>(() => Table.Read(() => new OneWayStream(bytes), "stdin", new CsvReadOptions(MaxMemory: 2_000_000)));
        Assert.StartsWith("Expected data that fits in memory. Received: stdin, which would take about 2", e.Message);
    }

    [Theory]
    [InlineData(0, "0 bytes")]
    [InlineData(999, "999 bytes")]
    [InlineData(1_500, "1.5 KB")]
    [InlineData(62_000_000, "62 MB")]
    [InlineData(3_140_000_000, "3.1 GB")]
    public void Sizes_read_as_people_write_them(long bytes, string text) => Assert.Equal(text, MemoryBudget.Size(bytes));

    // backprop train on the file under a 32 MB heap: (exit code, stdout, stderr).
    private static Task<(int Code, string Output, string Error)> TrainUnderLimit(string path, params string[] flags) =>
        UnderLimit(["train", "--data", path, "--epochs", "1", .. flags]);

    // backprop with these arguments under a 32 MB heap.
    private static Task<(int Code, string Output, string Error)> UnderLimit(params string[] arguments) => UnderLimit(32, arguments);

    // backprop with these arguments under a heap of `megabytes`.
    private static async Task<(int Code, string Output, string Error)> UnderLimit(int megabytes, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_GCHeapHardLimit"] = $"0x{megabytes << 20:X}";
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "backprop.dll"), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, error);
    }

    [Fact]
    public async Task Train_under_a_memory_limit_refuses_a_file_too_large_in_one_line_at_once_when_asked_not_to_stream()
    {
        string path = Numbers(600_000); // 18 MB on disk, 53 MB as a table, under a 32 MB heap
        var (code, output, error) = await TrainUnderLimit(path, "--stream", "false");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Matches(@"^error: Expected data that fits in memory\. Received: .*numbers\.csv, 18\.\d MB, which would take about 5\d\.\d MB as a table \(from its first 4,096 rows\)", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Train_under_a_memory_limit_streams_a_file_larger_than_an_eighth_of_it()
    {
        string path = Numbers(600_000);
        var (code, output, error) = await TrainUnderLimit(path, "--quiet", "--members", "1");
        Assert.True(code == 0, error);
        Assert.Contains("note: streaming ", error + output);
        Assert.Matches(@"are more than an eighth of the \d+(\.\d)? MB of memory available \(--stream false to read it whole\)", error + output);
        Assert.Contains("streamed 600,000 rows", error + output);
    }

    [Fact]
    public async Task Evaluate_under_a_memory_limit_measures_a_file_whose_table_would_not_fit()
    {
        string path = Numbers(600_000), model = Path.Combine(Files.Directory, "m.safetensors");
        string sample = Files.Write("sample.csv", string.Join('\n', File.ReadLines(path).Take(2001)) + "\n");
        Assert.Equal(0, Cli.CliRunner.Run("train", "--data", sample, "--members", "1", "--epochs", "2", "--save", model).ExitCode);
        var (code, text, error) = await UnderLimit("evaluate", "--model", model, "--data", path, "--json");
        Assert.True(code == 0, error);
        Assert.Contains("\"samples\":600000,", text);
    }

    [Fact]
    public async Task Predict_under_a_memory_limit_writes_the_predictions_of_a_file_whose_table_would_not_fit()
    {
        string path = Numbers(600_000), model = Path.Combine(Files.Directory, "m.safetensors");
        string sample = Files.Write("sample.csv", string.Join('\n', File.ReadLines(path).Take(2001)) + "\n");
        Assert.Equal(0, Cli.CliRunner.Run("train", "--data", sample, "--members", "1", "--epochs", "2", "--save", model).ExitCode);
        foreach (string output in (string[])["p.csv", "p.parquet"])
        {
            string at = Path.Combine(Files.Directory, output);
            var (code, text, error) = await UnderLimit("predict", "--model", model, "--data", path, "--proba", "--out", at);
            Assert.True(code == 0, error);
            Assert.Equal($"Wrote 600000 predictions to {at}\n", text.ReplaceLineEndings("\n"));
            Table predictions = Table.Read(at);
            Assert.Equal(600_000, predictions.RowCount);
            Assert.Equal(Enumerable.Range(1, 600_000).Select(r => (double)r), Enumerable.Range(0, 600_000).Select(predictions.Find("row")!.GetNumber));
        }
    }

    [Fact]
    public async Task Train_streams_a_small_file_whose_table_would_not_fit_when_its_first_rows_show_it()
    {
        // 4.1 MB of mostly empty cells (1 byte each in the file, 8 as a table): under an eighth of a 40 MB heap, so the run
        // starts to read it whole, and the first rows show a table of 30 MB. (The run needs a heap of about 30 MB, its chunks
        // of 101 columns and the rows read before it turns to streaming: the 32 MB of the other tests left it too little room,
        // and it ran out of memory once in a few runs of the whole suite.)
        var text = new StringBuilder(string.Join(",", Enumerable.Range(0, 100).Select(c => $"c{c}")) + ",y\n");
        var random = new Random(2);
        for (int r = 0; r < 40_000; r++) text.Append(random.Next(10)).Append(',', 99).Append(',').Append(r % 2).Append('\n');
        string path = Files.Write("sparse.csv", text.ToString());
        var (code, output, error) = await UnderLimit(40, ["train", "--data", path, "--epochs", "1"]);
        Assert.True(code == 0, error);
        Assert.Matches(@"note: streaming .*sparse\.csv: it would take about 2\d\.\d MB as a table \(from its first [\d,]+ rows\), more than the [\d.]+ MB available for it \(--stream false to be refused instead\)", error);
        Assert.Contains("streamed 40,000 rows", error);
    }

    /// <summary>A stream that only reads forward, as a pipe does: no length, no position.</summary>
    private sealed class OneWayStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
