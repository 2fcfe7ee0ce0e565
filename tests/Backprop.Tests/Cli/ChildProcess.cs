using System.Diagnostics;

namespace Backprop.Tests.Cli;

/// <summary>
/// A program run to its end from the repository's root, as the tests that build the CLI (Native AOT, the ReadyToRun
/// Release build) and then run what they built need it: its exit code, standard output and standard error, with
/// <c>\n</c> line ends.
/// </summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/>; kills it and its children past <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Output, string Error) Run(string program, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout.TotalMinutes} minutes.");
        }
        return (process.ExitCode, output.Result.Replace("\r\n", "\n"), error.Result.Replace("\r\n", "\n"));
    }

    /// <summary>The last lines of a build's log, for a failure's message.</summary>
    public static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(30));

    /// <summary>Deletes a temporary folder, best effort: a leftover temp folder is not a test failure.</summary>
    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
