using System.Diagnostics;
using Backprop.Cli;

namespace Backprop.Tests.Cli;

/// <summary>
/// The multicore JIT profile: where it is kept, when it is not, and that a real process writes it and runs the same with it,
/// without it, and with a cache folder it cannot write.
/// </summary>
public sealed class StartupProfileTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_profile_of_a_command_lives_in_the_users_cache_folder_one_file_a_command()
    {
        var linux = Environment(("HOME", "/home/ada"));
        Assert.Equal(("/home/ada/.cache/backprop/jit", "train.jitprofile"), StartupProfile.Location(["train", "--data", "x.csv"], linux, false, false));
        Assert.Equal(("/home/ada/.cache/backprop/jit", "predict.jitprofile"), StartupProfile.Location(["predict"], linux, false, false));
        Assert.Equal(("/var/cache/ada/backprop/jit", "evaluate.jitprofile"),
            StartupProfile.Location(["evaluate"], Environment(("HOME", "/home/ada"), ("XDG_CACHE_HOME", "/var/cache/ada")), false, false));
        Assert.Equal(("/Users/ada/Library/Caches/backprop/jit", "export.jitprofile"),
            StartupProfile.Location(["export"], Environment(("HOME", "/Users/ada"), ("XDG_CACHE_HOME", "/elsewhere")), false, true));
        // (A rooted path of the machine running the test: on Windows, C:\Users\ada\AppData\Local.)
        string local = Path.Combine(Path.GetTempPath(), "ada", "AppData", "Local");
        Assert.Equal((Path.Combine(local, "backprop", "jit"), "explain.jitprofile"),
            StartupProfile.Location(["explain"], Environment(("LOCALAPPDATA", local), ("HOME", "/home/ada")), true, false));
    }

    [Fact]
    public void A_relative_XDG_cache_home_is_ignored_as_the_specification_says()
    {
        Assert.Equal(("/home/ada/.cache/backprop/jit", "train.jitprofile"),
            StartupProfile.Location(["train"], Environment(("HOME", "/home/ada"), ("XDG_CACHE_HOME", "cache")), false, false));
    }

    [Theory]
    [InlineData("info")]
    [InlineData("bench")]
    [InlineData("datasets")]
    [InlineData("--help")]
    [InlineData("Train")]
    [InlineData("../../etc/train")]
    public void Short_commands_benchmarks_and_anything_else_keep_no_profile(string command) =>
        Assert.Null(StartupProfile.Location([command], Environment(("HOME", "/home/ada")), false, false));

    [Fact]
    public void No_profile_without_a_command_a_home_when_switched_off_or_in_an_MPI_rank()
    {
        Assert.Null(StartupProfile.Location([], Environment(("HOME", "/home/ada")), false, false));
        Assert.Null(StartupProfile.Location(["train"], Environment(), false, false));
        Assert.Null(StartupProfile.Location(["train"], Environment(("HOME", "relative")), false, false));
        Assert.Null(StartupProfile.Location(["train"], Environment(), true, false));
        foreach (string off in (string[])["0", "false", "OFF", " no "])
        {
            Assert.Null(StartupProfile.Location(["train"], Environment(("HOME", "/home/ada"), (StartupProfile.Switch, off)), false, false));
        }
        Assert.NotNull(StartupProfile.Location(["train"], Environment(("HOME", "/home/ada"), (StartupProfile.Switch, "1")), false, false));
        Assert.Null(StartupProfile.Location(["train"], Environment(("HOME", "/home/ada"), ("OMPI_COMM_WORLD_SIZE", "2")), false, false));
        Assert.Null(StartupProfile.Location(["train"], Environment(("HOME", "/home/ada"), ("PMI_SIZE", "2")), false, false));
    }

    [Fact]
    public void A_real_run_writes_the_profile_and_runs_alike_with_it_without_it_and_when_the_cache_cannot_be_written()
    {
        string cache = Path.Combine(_files.Directory, "cache");
        string profile = Path.Combine(cache, "backprop", "jit", "train.jitprofile");

        var (exit, first, _) = Train(("XDG_CACHE_HOME", cache));
        Assert.Equal(0, exit);
        if (System.Environment.ProcessorCount < 2)
        {
            // One core: no background thread to compile on, so no profile is kept.
            Assert.False(File.Exists(profile));
            return;
        }
        Assert.True(File.Exists(profile), "the first run wrote no profile");
        Assert.True(new FileInfo(profile).Length > 0);

        // The second run plays the profile back: same output to the digit (per-sample SGD from a fixed seed).
        var (againExit, again, againErrors) = Train(("XDG_CACHE_HOME", cache));
        Assert.Equal(0, againExit);
        Assert.Equal(first, again);
        Assert.Equal("", againErrors);

        // A run that stops at a usage error, a missing file or --help leaves the profile as it was, byte for byte.
        byte[] recorded = File.ReadAllBytes(profile);
        foreach (string[] stopped in (string[][])[["train", "--epochs", "x"], ["train", "--data", Path.Combine(_files.Directory, "missing.csv")], ["train", "--help"]])
        {
            var (stoppedExit, _, _) = Run(stopped, ("XDG_CACHE_HOME", cache));
            Assert.Equal(stopped[^1] == "--help" ? 0 : stopped[1] == "--epochs" ? 2 : 1, stoppedExit);
            Assert.Equal(recorded, File.ReadAllBytes(profile));
        }

        // A damaged profile is ignored by the runtime.
        File.WriteAllBytes(profile, [1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Equal((0, first, ""), Train(("XDG_CACHE_HOME", cache)));

        // A cache "folder" that is a file: no profile, the run is the same.
        string blocked = _files.Write("not-a-folder", "");
        Assert.Equal((0, first, ""), Train(("XDG_CACHE_HOME", blocked)));

        // Switched off: nothing written.
        string unused = Path.Combine(_files.Directory, "unused");
        Assert.Equal((0, first, ""), Train(("XDG_CACHE_HOME", unused), (StartupProfile.Switch, "0")));
        Assert.False(Directory.Exists(unused));
    }

    [Theory]
    [InlineData(0, new[] { "train", "--data", "d.csv" }, true)]
    [InlineData(0, new[] { "predict", "--model", "m.safetensors", "--data", "d.csv" }, true)]
    [InlineData(1, new[] { "train", "--data", "missing.csv" }, false)]
    [InlineData(2, new[] { "train", "--epoch", "3" }, false)]
    [InlineData(130, new[] { "train", "--data", "d.csv" }, false)]
    [InlineData(0, new[] { "train", "--help" }, false)]
    [InlineData(0, new[] { "predict", "-h" }, false)]
    [InlineData(0, new[] { "export", "-?" }, false)]
    public void Only_a_run_that_did_its_work_keeps_what_it_recorded(int exitCode, string[] args, bool keeps) =>
        Assert.Equal(keeps, StartupProfile.Keeps(args, exitCode));

    [Fact]
    public void Restore_puts_the_profile_back_as_it_was_or_removes_one_that_was_not_there()
    {
        string kept = _files.Write("train.jitprofile", "the profile of the last run that trained");
        StartupProfile before = StartupProfile.Open(kept);
        File.WriteAllText(kept, "what a failed run recorded");
        before.Restore();
        Assert.Equal("the profile of the last run that trained", File.ReadAllText(kept));

        string none = Path.Combine(_files.Directory, "predict.jitprofile");
        StartupProfile absent = StartupProfile.Open(none);
        File.WriteAllText(none, "what a failed run recorded");
        absent.Restore();
        Assert.False(File.Exists(none));
    }

    // The notebook's run as a process of its own (Program.cs starts the profile; Cli.Run in-process does not).
    private static (int ExitCode, string Output, string Error) Train(params (string Name, string Value)[] variables) =>
        Run(["train", "--epochs", "3"], variables);

    private static (int ExitCode, string Output, string Error) Run(string[] args, params (string Name, string Value)[] variables)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "backprop.dll"), .. args])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in variables) start.Environment[name] = value;
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"backprop {string.Join(' ', args)} ran over a minute");
        }
        return (process.ExitCode, output, error.Result);
    }
}
