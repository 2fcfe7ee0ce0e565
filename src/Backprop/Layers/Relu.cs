using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Rectified linear unit: <c>output = max(input, 0)</c>, elementwise.</summary>
/// <remarks>input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. The derivative at exactly 0 is taken as 0, as in PyTorch.</remarks>
public sealed class Relu<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        TensorPrimitives.Max(input[..n], T.Zero, output[..n]);
    }

    // forward was: output = max(input, 0), so
    // dinput = doutput ⊙ (input > 0) = doutput ⊙ (output > 0)
    // The mask is read from the output: when Sequential fuses this layer into the dense layer before it, the input (the
    // pre-activation) is never stored.
    /// <inheritdoc/>
    public override void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        if (dinput.IsEmpty)
        {
            return;
        }
        int n = batch * InputFeatures;
        ReadOnlySpan<T> y = output[..n], dy = doutput[..n];
        Span<T> dx = dinput[..n];
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // One compare and one blend per vector: dx = (y > 0) ? dy : 0 (Vector<T>: 256 bits with AVX2, 128 with NEON).
            for (; k <= n - Vector<T>.Count; k += Vector<T>.Count)
            {
                Vector<T> positive = Vector.GreaterThan(new Vector<T>(y.Slice(k, Vector<T>.Count)), Vector<T>.Zero);
                (positive & new Vector<T>(dy.Slice(k, Vector<T>.Count))).CopyTo(dx.Slice(k, Vector<T>.Count));
            }
        }
        for (; k < n; k++)
        {
            dx[k] = y[k] > T.Zero ? dy[k] : T.Zero;
        }
    }
}
