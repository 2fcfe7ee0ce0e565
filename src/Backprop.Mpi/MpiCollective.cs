using System.Runtime.InteropServices;
using Backprop.Training;

namespace Backprop.Mpi;

/// <summary>
/// The ranks of an MPI job (<c>mpirun -np N …</c>) as an <see cref="ICollective"/>: Open MPI's <c>libmpi</c>, loaded when the
/// first rank starts, through the few calls data-parallel training needs (init, rank and size, all-gather, finalize).
/// </summary>
/// <remarks>
/// <para>
/// A small binding of its own rather than MPI.NET: six C functions and three handles, bound at run time with
/// <see cref="NativeLibrary"/> (so the assembly builds and loads without MPI installed, and publishes with Native AOT), where
/// MPI.NET brings a generated wrapper of the whole standard. Open MPI's handles are the addresses of exported objects
/// (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_float</c>, <c>ompi_mpi_double</c>); MPICH's are integers, so MPICH is refused
/// with a clear message rather than misread.
/// </para>
/// <para>
/// The gathers are <c>MPI_Allgather</c>: every rank receives every rank's buffer and sums them in rank order itself, so the
/// sum is the same on every rank and in every run, whichever reduction algorithm the MPI library would have chosen.
/// </para>
/// </remarks>
public sealed unsafe class MpiCollective : ICollective, IDisposable
{
    private const int ThreadSerialized = 2; // MPI_THREAD_SERIALIZED: any thread may call, one at a time

    private static readonly string[] LibraryNames = ["libmpi.so.40", "libmpi.so", "libmpi.40.dylib", "libmpi.dylib"];

    private readonly delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> _allgather;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly nint _world, _float, _double;
    private bool _finalized;

    private MpiCollective(nint library)
    {
        _world = Export(library, "ompi_mpi_comm_world");
        _float = Export(library, "ompi_mpi_float");
        _double = Export(library, "ompi_mpi_double");
        var initialized = (delegate* unmanaged<int*, int>)Export(library, "MPI_Initialized");
        var initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export(library, "MPI_Init_thread");
        var commRank = (delegate* unmanaged<nint, int*, int>)Export(library, "MPI_Comm_rank");
        var commSize = (delegate* unmanaged<nint, int*, int>)Export(library, "MPI_Comm_size");
        _allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Export(library, "MPI_Allgather");
        _finalize = (delegate* unmanaged<int>)Export(library, "MPI_Finalize");
        int flag = 0, provided = 0, rank = 0, size = 0;
        Check(initialized(&flag), "MPI_Initialized");
        if (flag == 0)
        {
            Check(initThread(null, null, ThreadSerialized, &provided), "MPI_Init_thread");
        }
        Check(commRank(_world, &rank), "MPI_Comm_rank");
        Check(commSize(_world, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>Joins the MPI job this process was started in (a process started without <c>mpirun</c> is a job of one rank).</summary>
    /// <exception cref="BackpropException">No Open MPI library is installed, or the one found is another MPI.</exception>
    public static MpiCollective Start()
    {
        nint library = 0;
        foreach (string name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out library)) break;
        }
        if (library == 0)
        {
            throw new BackpropException("Expected Open MPI's library (libmpi.so.40) for --distributed mpi. Received: none found; install Open MPI " +
                "(Debian and Ubuntu: apt-get install openmpi-bin) and start the ranks with mpirun.");
        }
        if (!NativeLibrary.TryGetExport(library, "ompi_mpi_comm_world", out _))
        {
            throw new BackpropException("Expected Open MPI's libmpi for --distributed mpi. Received: another MPI library (MPICH or Intel MPI?), " +
                "which this version does not support; install Open MPI.");
        }
        return new MpiCollective(library);
    }

    /// <inheritdoc/>
    public void AllGather(ReadOnlySpan<float> local, Span<float> all) => Gather(local, all, _float);

    /// <inheritdoc/>
    public void AllGather(ReadOnlySpan<double> local, Span<double> all) => Gather(local, all, _double);

    private void Gather<TValue>(ReadOnlySpan<TValue> local, Span<TValue> all, nint type) where TValue : unmanaged
    {
        if (all.Length != local.Length * Size)
        {
            throw new ArgumentException($"Expected room for {Size} × {local.Length} values. Received: {all.Length}.", nameof(all));
        }
        fixed (TValue* send = local)
        fixed (TValue* receive = all)
        {
            Check(_allgather(send, local.Length, type, receive, local.Length, type, _world), "MPI_Allgather");
        }
    }

    /// <summary>Leaves the job (<c>MPI_Finalize</c>); every rank must.</summary>
    public void Dispose()
    {
        if (_finalized) return;
        _finalized = true;
        _finalize();
    }

    private static nint Export(nint library, string name) =>
        NativeLibrary.TryGetExport(library, name, out nint address) ? address
            : throw new BackpropException($"Expected the MPI function {name} in Open MPI's libmpi. Received: a library without it (an Open MPI older than 1.8?).");

    // With the default error handler (MPI_ERRORS_ARE_FATAL) a failing call ends the job before returning; this is for another.
    private static void Check(int code, string call)
    {
        if (code != 0) throw new BackpropException($"Expected {call} to succeed. Received: MPI error {code}.");
    }
}
