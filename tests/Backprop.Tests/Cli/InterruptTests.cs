using System.Diagnostics;
using Backprop.Models;

namespace Backprop.Tests.Cli;

/// <summary>Ctrl+C during a real <c>backprop train</c> process: the best model so far is saved, the exit code is 130.</summary>
public sealed class InterruptTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [SigintFact]
    public async Task Sigint_saves_the_best_model_so_far_and_exits_with_130()
    {
        string model = Path.Combine(_files.Directory, "interrupted.safetensors");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "backprop.dll"), "train", "--dataset", "wine",
            "--epochs", "100000000", "--save", model])
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        // Wait until training is under way: a few epoch lines.
        int lines = 0;
        while (lines < 5 && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("Epoch ", StringComparison.Ordinal)) lines++;
        }
        Assert.Equal(5, lines);
        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        Task<string> rest = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // What the process was doing: its threads' states and kernel waits, and what it printed after the epoch lines.
            string tasks = $"/proc/{process.Id}/task";
            string threads = !Directory.Exists(tasks) ? "(no /proc)" : string.Join("; ", Directory.EnumerateDirectories(tasks).Select(task =>
                $"{File.ReadAllText(Path.Combine(task, "comm")).Trim()} {File.ReadAllText(Path.Combine(task, "stat")).Split(' ')[2]} {File.ReadAllText(Path.Combine(task, "wchan"))}"));
            process.Kill(entireProcessTree: true);
            string printed = await error, output = await rest;
            Assert.Fail($"backprop train did not stop within 60 s of SIGINT. Threads: {threads}. Its errors: {printed}. " +
                $"Its output ends: {output[^Math.Min(300, output.Length)..]}");
        }
        await rest;
        string errors = await error;

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("Saved the best model so far", errors);
        Assert.EndsWith("Interrupted.\n", errors);
        Assert.DoesNotContain("   at ", errors);
        TabularModel<float> loaded = TabularModel<float>.Load(model);
        Assert.Equal(["class_0", "class_1", "class_2"], loaded.ClassLabels);
        Assert.True(loaded.Network.Parameters.All(float.IsFinite));
    }
}
