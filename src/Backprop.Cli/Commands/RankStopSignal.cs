using System.Runtime.InteropServices;

namespace Backprop.Cli.Commands;

/// <summary>
/// SIGUSR1, the signal that stops a distributed run (mpirun does not pass Ctrl+C on to its ranks; it forwards SIGUSR1), handled
/// for the rest of the process's life once a rank has routed it: it may arrive twice (mpirun and its daemon both forward it, or
/// <c>kill -USR1</c> is repeated), and one arriving after the run ended, or while rank 0 saves, must not end the process with
/// the signal's default action (seen in CI: a rank ended with exit code 138 and the job with it).
/// </summary>
internal static class RankStopSignal
{
    private static readonly Lock Gate = new();
    private static PosixSignalRegistration? s_registration;
    private static Action<PosixSignalContext>? s_target;

    /// <summary>The signal's number: 10 on Linux, 30 on macOS.</summary>
    public static PosixSignal Signal => (PosixSignal)(OperatingSystem.IsMacOS() ? 30 : 10);

    /// <summary>Sends the signal to <paramref name="target"/> until the result is disposed; after that it is ignored.</summary>
    public static IDisposable Route(Action<PosixSignalContext> target)
    {
        lock (Gate)
        {
            s_registration ??= PosixSignalRegistration.Create(Signal, context =>
            {
                context.Cancel = true;
                Volatile.Read(ref s_target)?.Invoke(context);
            });
            Volatile.Write(ref s_target, target);
        }
        return new Unroute(target);
    }

    private sealed class Unroute(Action<PosixSignalContext> target) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref s_target, null, target);
    }
}
