using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Tensors;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop bench</c>: runs the standard workloads (seed, mlp, gemm) and prints their rates, as text or JSON.</summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var workload = new Option<string>("--workload")
        {
            Description = "seed (Iris 4→16→3, per-sample SGD), mlp (60,000×784, 784→256→128→10, batch 128), gemm (1024³ and the mlp's products), or all",
            DefaultValueFactory = _ => "all",
        };
        workload.OneOf("seed", "mlp", "gemm", "all");
        var threads = new Option<int?>("--threads")
        {
            Description = "Threads for the kernels (default: all cores; gemm then runs on 1 thread and on all cores)",
        };
        threads.Validators.Add(r =>
        {
            // The value parsed (an unparsable one is reported by its parser, and reading it would throw).
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value < 1)
            {
                r.AddError($"--threads: expected an integer ≥ 1. Received: '{value}'.");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout, {\"results\": [...]} with one entry per measurement, nothing else" };

        var command = new Command("bench",
            "Measure training and kernel speed on the standard workloads (see docs/performance.md).\n\n"
            + "Examples:\n"
            + "  backprop bench\n"
            + "  backprop bench --workload gemm --threads 1\n"
            + "  backprop bench --workload mlp --json")
        {
            workload, threads, json,
        };
        command.SetAction(parse =>
        {
            string chosen = parse.GetValue(workload)!;
            int all = Environment.ProcessorCount;
            int? requested = parse.GetValue(threads);
            if (requested > all)
            {
                // As train: more threads than processors only take turns on them, and the report says what ran.
                error.WriteLine($"note: --threads {requested}: this machine has {all} {(all == 1 ? "processor" : "processors")}, so the kernels use {all}");
                requested = all;
            }
            int saved = Parallelism.MaxThreads;
            var results = new List<BenchResult>();
            bool asJson = parse.GetValue(json);
            try
            {
                if (chosen is "seed" or "all") Report(BenchWorkloads.Seed(requested ?? all), results, output, asJson);
                if (chosen is "mlp" or "all") Report(BenchWorkloads.Mlp(requested ?? all), results, output, asJson);
                if (chosen is "gemm" or "all")
                {
                    int[] counts = requested is int n ? [n] : all > 1 ? [1, all] : [1];
                    foreach (int count in counts)
                    {
                        foreach (BenchResult result in BenchWorkloads.Gemm(count)) Report(result, results, output, asJson);
                    }
                }
            }
            finally
            {
                Parallelism.MaxThreads = saved;
            }
            if (asJson) WriteJson(results, output);
            return Cli.Success;
        });
        return command;
    }

    private static void Report(BenchResult result, List<BenchResult> results, TextWriter output, bool asJson)
    {
        results.Add(result);
        if (asJson)
        {
            return;
        }
        CultureInfo inv = CultureInfo.InvariantCulture;
        string rate = result.Workload switch
        {
            "seed" => string.Create(inv, $"{result.StepsPerSecond,14:N0} steps/s"),
            "mlp" => string.Create(inv, $"{result.SamplesPerSecond,14:N0} samples/s  {result.Gflops,6:F1} GFLOP/s"),
            _ => string.Create(inv, $"{result.Gflops,8:F1} GFLOP/s"),
        };
        output.WriteLine(string.Create(inv, $"{result.Workload,-5} {result.Shape,-28} threads {result.Threads}  {rate}  ({result.Seconds:G4} s)"));
    }

    // One object (what every --json of the CLI prints): {"results": [{workload, shape, threads, steps_per_second, …}, …]}.
    private static void WriteJson(List<BenchResult> results, TextWriter output) =>
        Json.WriteObject(output, writer =>
        {
            writer.WriteStartArray("results");
            foreach (BenchResult r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("workload", r.Workload);
                writer.WriteString("shape", r.Shape);
                writer.WriteNumber("threads", r.Threads);
                WriteNullable(writer, "steps_per_second", r.StepsPerSecond);
                WriteNullable(writer, "samples_per_second", r.SamplesPerSecond);
                WriteNullable(writer, "gflops", r.Gflops);
                writer.WriteNumber("seconds", r.Seconds);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v) writer.WriteNumber(name, Math.Round(v, 3));
        else writer.WriteNull(name);
    }
}
