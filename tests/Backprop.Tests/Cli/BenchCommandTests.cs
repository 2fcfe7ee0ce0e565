using System.Text.Json;

namespace Backprop.Tests.Cli;

// Changes the process-wide Parallelism.MaxThreads while it runs, as the 1-vs-2-thread tests do: never at the same time.
[Collection(nameof(Backprop.Tensors.Parallelism))]
public class BenchCommandTests
{
    [Fact]
    public void Seed_workload_prints_json_with_the_documented_keys()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Backprop.Cli.Cli.Run(["bench", "--workload", "seed", "--threads", "1", "--json"], output, error);
        Assert.Equal(0, exit);
        Assert.Equal("", error.ToString());
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        JsonElement result = Assert.Single(json.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("seed", result.GetProperty("workload").GetString());
        Assert.Equal(1, result.GetProperty("threads").GetInt32());
        Assert.True(result.GetProperty("steps_per_second").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("samples_per_second").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("gflops").ValueKind);
        Assert.True(result.GetProperty("seconds").GetDouble() > 0);
    }

    [Fact]
    public void More_threads_than_processors_run_on_the_processors_and_say_so()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Backprop.Cli.Cli.Run(["bench", "--workload", "seed", "--threads", "2147483647", "--json"], output, error);
        Assert.Equal(0, exit);
        int processors = Environment.ProcessorCount;
        Assert.Equal($"note: --threads 2147483647: this machine has {processors} {(processors == 1 ? "processor" : "processors")}, so the kernels use {processors}\n",
            error.ToString().ReplaceLineEndings("\n"));
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        Assert.Equal(processors, Assert.Single(json.RootElement.GetProperty("results").EnumerateArray()).GetProperty("threads").GetInt32());
    }

    [Theory]
    [InlineData("--threads", "0")]
    [InlineData("--workload", "everything")]
    public void Bad_options_are_usage_errors(string option, string value)
    {
        var error = new StringWriter();
        int exit = Backprop.Cli.Cli.Run(["bench", option, value], new StringWriter(), error);
        Assert.Equal(Backprop.Cli.Cli.UsageError, exit);
        Assert.StartsWith("error: ", error.ToString());
    }
}
