using System.Numerics;

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
        for (int i = 0; i < n; i++)
        {
            T g = gradients[i] + l2 * parameters[i];
            m[i] = beta1 * m[i] + oneMinusBeta1 * g;
            v[i] = beta2 * v[i] + oneMinusBeta2 * g * g;
            parameters[i] -= stepSize * m[i] / (T.Sqrt(v[i]) / correction2Sqrt + epsilon);
        }
    }
}
