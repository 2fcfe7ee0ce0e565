namespace Backprop.Tests.Cli;

/// <summary>
/// A fact that sends SIGINT to a process it starts: skipped, with the reason, where this test run ignores SIGINT (a job a
/// non-interactive shell started in the background with <c>&amp;</c>), since every process it starts inherits that and
/// .NET then leaves SIGINT ignored, as a shell expects of a background job.
/// </summary>
public sealed class SigintFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when SIGINT is ignored.</summary>
    public SigintFactAttribute()
    {
        if (SigintIgnored())
        {
            Skip = "SIGINT is ignored in this test run (started in the background?), so the process it starts would ignore Ctrl+C too.";
        }
    }

    // Linux's /proc/self/status lists the ignored signals as a hexadecimal mask, bit n−1 for signal n (SIGINT is 2).
    private static bool SigintIgnored()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return false;
        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0;
    }
}
