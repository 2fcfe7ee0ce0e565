using System.Numerics;
using System.Runtime.InteropServices;

namespace Backprop.Tensors;

/// <summary>The packing buffers of one thread: grown on demand, never shrunk, so steady-state products allocate nothing.</summary>
/// <remarks>
/// Native memory aligned to 64 bytes (a cache line), so the micro-kernel's vector loads of packed panels never split a line.
/// One instance per thread (<see cref="Current"/>); the finalizer frees the memory when the thread is gone.
/// </remarks>
internal sealed unsafe class GemmScratch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static GemmScratch<T>? t_current;

    private T* _packedA;
    private nint _packedALength;
    private T* _packedB;
    private nint _packedBLength;

    /// <summary>This thread's buffers.</summary>
    public static GemmScratch<T> Current => t_current ??= new GemmScratch<T>();

    /// <summary>A buffer of at least <paramref name="length"/> elements for packed panels of <c>A</c>.</summary>
    public T* PackedA(nint length) => Ensure(ref _packedA, ref _packedALength, length);

    /// <summary>A buffer of at least <paramref name="length"/> elements for packed panels of <c>B</c>.</summary>
    public T* PackedB(nint length) => Ensure(ref _packedB, ref _packedBLength, length);

    private static T* Ensure(ref T* buffer, ref nint capacity, nint length)
    {
        if (length > capacity)
        {
            NativeMemory.AlignedFree(buffer);
            buffer = null;
            buffer = (T*)NativeMemory.AlignedAlloc((nuint)length * (nuint)sizeof(T), 64);
            capacity = length;
        }
        return buffer;
    }

    ~GemmScratch()
    {
        NativeMemory.AlignedFree(_packedA);
        NativeMemory.AlignedFree(_packedB);
    }
}
