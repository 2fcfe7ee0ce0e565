using System.Numerics;

namespace Backprop.Tensors;

/// <summary>The vector operations of one width that <see cref="MicroKernel{T, TVector, TOps}"/> needs.</summary>
/// <remarks>
/// The micro-kernel is written once for every vector width: the runtime's own <c>ISimdVector</c> is not public, so this is its
/// small subset. Implemented by structs and passed as type arguments, the calls are resolved and inlined by the JIT.
/// </remarks>
internal unsafe interface IVectorOps<TVector, T>
    where TVector : unmanaged
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    /// <summary>The <see cref="Count"/> values at <paramref name="source"/>.</summary>
    static abstract TVector Load(T* source);

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/>.</summary>
    static abstract void Store(TVector value, T* destination);

    /// <summary><paramref name="value"/> in every element.</summary>
    static abstract TVector Broadcast(T value);

    /// <summary><paramref name="left"/> + <paramref name="right"/>.</summary>
    static abstract TVector Add(TVector left, TVector right);

    /// <summary><c>a · b + c</c>, rounded once where the hardware has a fused multiply-add (FMA3, NEON), else a multiply and an add.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary><c>max(value, 0)</c> element by element, as <c>TensorPrimitives.Max</c>: a NaN stays NaN, −0 becomes +0.</summary>
    static abstract TVector ClampNegativeToZero(TVector value);
}
