using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Optimizers;

/// <summary>Adam's update split into contiguous ranges for the worker pool; one reusable instance per thread, so a step allocates nothing.</summary>
internal sealed unsafe class AdamJob<T> : ChunkedWork where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static AdamJob<T>? t_current;

    private T* _parameters;
    private T* _gradients;
    private T* _m;
    private T* _v;
    private int _count;
    private AdamStep.Constants<T> _constants;

    /// <summary>This thread's instance.</summary>
    public static AdamJob<T> Current => t_current ??= new AdamJob<T>();

    /// <summary>Points the job at pinned θ (n), g (n) and the moments m (n) and v (n); valid while the caller keeps them pinned.</summary>
    public void Set(T* parameters, T* gradients, T* m, T* v, int count, AdamStep.Constants<T> constants)
    {
        _parameters = parameters;
        _gradients = gradients;
        _m = m;
        _v = v;
        _count = count;
        _constants = constants;
    }

    // Chunk k of K: elements [k·N/K, (k+1)·N/K), rounded to whole 64-element blocks so no two threads share a cache line.
    protected override void ExecuteChunk(int chunk, int chunks)
    {
        const int Block = 64;
        int blocks = (_count + Block - 1) / Block;
        int first = Math.Min((int)((long)blocks * chunk / chunks) * Block, _count);
        int last = Math.Min((int)((long)blocks * (chunk + 1) / chunks) * Block, _count);
        int length = last - first;
        AdamStep.Update(new Span<T>(_parameters + first, length), new ReadOnlySpan<T>(_gradients + first, length),
            new Span<T>(_m + first, length), new Span<T>(_v + first, length), _constants);
    }
}
