using System.Diagnostics;

namespace Backprop.Tests.Serialization;

/// <summary>Runs an external program (python3, mount) and collects its exit code and output.</summary>
internal static class ExternalProcess
{
    /// <summary>Exit code, standard output and standard error; exit code -1 if the program could not start or ran over a minute.</summary>
    public static (int ExitCode, string Output, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, "", ex.Message);
        }
        using (process)
        {
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill();
                return (-1, output, "timed out");
            }
            return (process.ExitCode, output, error.Result);
        }
    }
}
