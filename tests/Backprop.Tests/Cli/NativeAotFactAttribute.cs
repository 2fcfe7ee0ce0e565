using System.Runtime.InteropServices;

namespace Backprop.Tests.Cli;

/// <summary>
/// A fact that runs only where a Native AOT publish of the CLI can be built: Linux on x64 or Arm64 with a linker the
/// compiler uses (clang, or else gcc) and zlib's headers (CI installs them); skipped with the reason otherwise.
/// </summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(FindMissing);

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the toolchain is missing.</summary>
    public NativeAotFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }

    private static string? FindMissing()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture is not (System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64))
        {
            return "the Native AOT publish is checked on Linux (x64, Arm64) only.";
        }
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (!path.Any(folder => File.Exists(Path.Combine(folder, "clang")) || File.Exists(Path.Combine(folder, "gcc"))))
        {
            return "neither clang nor gcc is installed (apt-get install clang zlib1g-dev): the Native AOT executable is not built.";
        }
        if (!File.Exists("/usr/include/zlib.h"))
        {
            return "zlib's headers are not installed (apt-get install zlib1g-dev): the Native AOT executable is not built.";
        }
        return null;
    }
}
