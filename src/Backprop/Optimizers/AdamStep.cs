using System.Numerics;
using System.Runtime.InteropServices;

namespace Backprop.Optimizers;

/// <summary>The moment update and step shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>, which differ only in how they decay weights.</summary>
internal static class AdamStep
{
    // θ (N), g (N), m (N), v (N); operation order as PyTorch 1.13's single-tensor Adam:
    // m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
    // l2 = λ adds λθ to g first (Adam's coupled weight decay); AdamW passes 0 and decays θ itself.
    public static void Apply<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, long step, T learningRate, AdamOptions options, T l2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = parameters.Length;
        var constants = new Constants<T>(options, step, learningRate, l2);
        int threads = Math.Min(Tensors.Parallelism.MaxThreads, n / ElementsPerThread);
        if (threads <= 1)
        {
            Update(parameters, gradients, m, v, constants);
            return;
        }
        // Every element is updated on its own, so splitting the pass across threads changes no bit of the result.
        unsafe
        {
            fixed (T* p = parameters)
            fixed (T* g = gradients)
            fixed (T* pm = m)
            fixed (T* pv = v)
            {
                AdamJob<T> job = AdamJob<T>.Current;
                job.Set(p, g, pm, pv, n, constants);
                // Four chunks per thread: on a shared machine a worker that is descheduled holds up one small chunk, not half.
                Tensors.WorkerPool.Run(job, 4 * threads, threads);
            }
        }
    }

    /// <summary>Below this many parameters per thread the pass stays on the calling thread: waking a worker would cost more.</summary>
    private const int ElementsPerThread = 16_384;

    /// <summary>The per-step scalars of the update.</summary>
    internal readonly struct Constants<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Constants(AdamOptions options, long step, T learningRate, T l2)
        {
            Beta1 = T.CreateChecked(options.Beta1);
            Beta2 = T.CreateChecked(options.Beta2);
            Epsilon = T.CreateChecked(options.Epsilon);
            OneMinusBeta1 = T.One - Beta1;
            OneMinusBeta2 = T.One - Beta2;
            StepSize = learningRate / T.CreateChecked(1 - Math.Pow(options.Beta1, step));
            Correction2Sqrt = T.CreateChecked(Math.Sqrt(1 - Math.Pow(options.Beta2, step)));
            L2 = l2;
        }

        public T Beta1 { get; }
        public T Beta2 { get; }
        public T Epsilon { get; }
        public T OneMinusBeta1 { get; }
        public T OneMinusBeta2 { get; }
        public T StepSize { get; }
        public T Correction2Sqrt { get; }
        public T L2 { get; }
    }

    // θ, g, m, v: one contiguous range of the parameters and their moments
    internal static void Update<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, in Constants<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = parameters.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The same operations in the same order as the scalar loop below, a vector at a time: results are bit-identical
            // (no fused multiply-add), and this pass over every parameter stops being a large part of a step. Vector<T> is the
            // machine's natural width: 256 bits with AVX2, 128 with NEON.
            var vBeta1 = new Vector<T>(c.Beta1);
            var vBeta2 = new Vector<T>(c.Beta2);
            var vOneMinusBeta1 = new Vector<T>(c.OneMinusBeta1);
            var vOneMinusBeta2 = new Vector<T>(c.OneMinusBeta2);
            var vStepSize = new Vector<T>(c.StepSize);
            var vCorrection2Sqrt = new Vector<T>(c.Correction2Sqrt);
            var vEpsilon = new Vector<T>(c.Epsilon);
            var vL2 = new Vector<T>(c.L2);
            ref T p0 = ref MemoryMarshal.GetReference(parameters);
            ref T g0 = ref MemoryMarshal.GetReference(gradients);
            ref T m0 = ref MemoryMarshal.GetReference(m);
            ref T v0 = ref MemoryMarshal.GetReference(v);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint k = (nuint)i;
                Vector<T> theta = Vector.LoadUnsafe(ref p0, k);
                Vector<T> g = Vector.LoadUnsafe(ref g0, k) + vL2 * theta;
                Vector<T> mk = vBeta1 * Vector.LoadUnsafe(ref m0, k) + vOneMinusBeta1 * g;
                Vector<T> vk = vBeta2 * Vector.LoadUnsafe(ref v0, k) + vOneMinusBeta2 * g * g;
                mk.StoreUnsafe(ref m0, k);
                vk.StoreUnsafe(ref v0, k);
                (theta - vStepSize * mk / (Vector.SquareRoot(vk) / vCorrection2Sqrt + vEpsilon)).StoreUnsafe(ref p0, k);
            }
        }
        for (; i < n; i++)
        {
            T g = gradients[i] + c.L2 * parameters[i];
            m[i] = c.Beta1 * m[i] + c.OneMinusBeta1 * g;
            v[i] = c.Beta2 * v[i] + c.OneMinusBeta2 * g * g;
            parameters[i] -= c.StepSize * m[i] / (T.Sqrt(v[i]) / c.Correction2Sqrt + c.Epsilon);
        }
    }
}
