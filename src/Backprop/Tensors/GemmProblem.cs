using System.Numerics;

namespace Backprop.Tensors;

/// <summary>One product <c>C (M, N) (+)= A (M, K) · B (K, N)</c> over pinned memory, with strided operands and a store epilogue.</summary>
/// <remarks>
/// Element <c>A(i, p)</c> is at <c>A + i·ARowStride + p·AColumnStride</c> and <c>B(p, j)</c> at <c>B + p·BRowStride + j·BColumnStride</c>,
/// so the transposed variants of <see cref="Gemm"/> are the same problem with the strides swapped: nothing is ever transposed in memory.
/// </remarks>
internal unsafe struct GemmProblem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* C;
    public nint Ldc;
    public T* A;
    public nint ARowStride;
    public nint AColumnStride;
    public T* B;
    public nint BRowStride;
    public nint BColumnStride;
    public int M;
    public int N;
    public int K;

    /// <summary><c>C += A·B</c> rather than <c>C = A·B</c>.</summary>
    public bool Accumulate;

    /// <summary>Optional row vector <c>(N)</c> added to every row of <c>C</c> when not accumulating; null for none.</summary>
    public T* Bias;

    /// <summary>Replace <c>C</c> by <c>max(C, 0)</c> once the sum is complete (the fused ReLU of a dense layer).</summary>
    public bool Relu;

    /// <summary>
    /// Choose the path by <c>N</c> and <c>K</c> alone (<see cref="Gemm.IsDirect"/>), so that every row of <c>C</c> is the same
    /// bits whatever <c>M</c> is: inference, where a row's prediction must not depend on the rows predicted with it.
    /// </summary>
    public bool BatchInvariant;
}
