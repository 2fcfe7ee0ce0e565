using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Optimizers;

/// <summary>The moment update and step shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>, which differ only in how they decay weights.</summary>
internal static class AdamStep
{
    // θ (N), g (N), m (N), v (N); operation order as PyTorch 1.13's single-tensor Adam:
    // m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
    // l2 = λ adds λθ to g first (Adam's coupled weight decay); AdamW passes 0 and decays θ itself.
    public static void Apply<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, long step, T learningRate, AdamOptions options, T l2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = parameters.Length;
        Span<T> m = state[..n], v = state.Slice(n, n);
        T beta1 = T.CreateChecked(options.Beta1), beta2 = T.CreateChecked(options.Beta2), epsilon = T.CreateChecked(options.Epsilon);
        T oneMinusBeta1 = T.One - beta1, oneMinusBeta2 = T.One - beta2;
        T stepSize = learningRate / T.CreateChecked(1 - Math.Pow(options.Beta1, step));
        T correction2Sqrt = T.CreateChecked(Math.Sqrt(1 - Math.Pow(options.Beta2, step)));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // The same operations in the same order as the scalar loop below, a vector at a time: results are bit-identical
            // (no fused multiply-add), and this pass over every parameter stops being a large part of a step.
            var vBeta1 = Vector256.Create(beta1);
            var vBeta2 = Vector256.Create(beta2);
            var vOneMinusBeta1 = Vector256.Create(oneMinusBeta1);
            var vOneMinusBeta2 = Vector256.Create(oneMinusBeta2);
            var vStepSize = Vector256.Create(stepSize);
            var vCorrection2Sqrt = Vector256.Create(correction2Sqrt);
            var vEpsilon = Vector256.Create(epsilon);
            var vL2 = Vector256.Create(l2);
            ref T p0 = ref MemoryMarshal.GetReference(parameters);
            ref T g0 = ref MemoryMarshal.GetReference(gradients);
            ref T m0 = ref MemoryMarshal.GetReference(m);
            ref T v0 = ref MemoryMarshal.GetReference(v);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                nuint k = (nuint)i;
                Vector256<T> theta = Vector256.LoadUnsafe(ref p0, k);
                Vector256<T> g = Vector256.LoadUnsafe(ref g0, k) + vL2 * theta;
                Vector256<T> mk = vBeta1 * Vector256.LoadUnsafe(ref m0, k) + vOneMinusBeta1 * g;
                Vector256<T> vk = vBeta2 * Vector256.LoadUnsafe(ref v0, k) + vOneMinusBeta2 * g * g;
                mk.StoreUnsafe(ref m0, k);
                vk.StoreUnsafe(ref v0, k);
                (theta - vStepSize * mk / (Vector256.Sqrt(vk) / vCorrection2Sqrt + vEpsilon)).StoreUnsafe(ref p0, k);
            }
        }
        for (; i < n; i++)
        {
            T g = gradients[i] + l2 * parameters[i];
            m[i] = beta1 * m[i] + oneMinusBeta1 * g;
            v[i] = beta2 * v[i] + oneMinusBeta2 * g * g;
            parameters[i] -= stepSize * m[i] / (T.Sqrt(v[i]) / correction2Sqrt + epsilon);
        }
    }
}
