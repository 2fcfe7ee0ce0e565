namespace Backprop.Cli.Commands;

/// <summary>One measured line of <c>backprop bench</c>; the fields that do not apply to a workload are null.</summary>
internal sealed record BenchResult(
    string Workload,
    string? Shape,
    int Threads,
    double? StepsPerSecond,
    double? SamplesPerSecond,
    double? Gflops,
    double Seconds);
