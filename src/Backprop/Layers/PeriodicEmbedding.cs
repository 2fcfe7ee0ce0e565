using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>
/// A learned periodic embedding of every input, kept beside the input itself: feature <c>j</c> becomes
/// <c>[x_j, V_j·cos(2π(w_j·x_j + b_j)) + c_j]</c>, <c>1 + D</c> values, from <c>K</c> learned frequencies <c>w_j</c> and phases <c>b_j</c>.
/// </summary>
/// <remarks>
/// <para>
/// The embeddings of numerical features of Gorishniy, Rubachev and Babenko (2022, "On Embeddings for Numerical Features in
/// Tabular Deep Learning"), in the form RealMLP (Holzmüller et al., 2024) uses, "PBLD": periodic with a bias (the phase), a
/// linear map per feature, and the input passed on beside it (DenseNet-style). An MLP on standardized inputs fits smooth
/// functions of each feature; a sum of cosines of learned frequencies lets it fit the sharp, local shapes that trees find
/// (a threshold, a spike at a value that identifies a group of rows).
/// </para>
/// <para>
/// input <c>(B, F)</c> → output <c>(B, F·(1+D))</c>. Parameters, in block order: frequencies <c>w (F, K)</c> drawn from
/// <c>N(0, σ²)</c>, phases <c>b (F, K)</c> from <c>U(−½, ½)</c> (a whole turn), weights <c>V (F, D, K)</c> and biases <c>c (F, D)</c>
/// drawn as a dense layer's of fan-in <c>K</c> (PyTorch's uniform). Small σ starts every cosine slow: near-linear, smooth functions
/// first; training raises the frequencies where the data asks for detail.
/// </para>
/// </remarks>
public sealed class PeriodicEmbedding<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Frequencies per feature <c>K</c> by default (RealMLP's).</summary>
    public const int DefaultFrequencies = 16;

    /// <summary>Embedding values per feature <c>D</c> by default (RealMLP's).</summary>
    public const int DefaultDimensions = 4;

    /// <summary>Standard deviation σ of the initial frequencies by default (RealMLP's).</summary>
    public const double DefaultSigma = 0.1;

    private static readonly T TwoPi = T.CreateChecked(2 * Math.PI);

    private T[] _parameters = [];
    private T[] _gradients = [];
    private int _offset;

    /// <summary>Creates the embedding of <paramref name="features"/> inputs.</summary>
    /// <param name="features">Inputs <c>F</c>.</param>
    /// <param name="frequencies">Cosines per feature <c>K</c>.</param>
    /// <param name="dimensions">Embedding values per feature <c>D</c> (beside the input itself).</param>
    /// <param name="sigma">Standard deviation of the initial frequencies, in turns per standardized unit.</param>
    public PeriodicEmbedding(int features, int frequencies = DefaultFrequencies, int dimensions = DefaultDimensions, double sigma = DefaultSigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frequencies);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        if (!(sigma > 0 && double.IsFinite(sigma)))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Expected a positive, finite standard deviation.");
        }
        long parameters = (long)features * (2L * frequencies + (long)dimensions * frequencies + dimensions);
        if (parameters > Array.MaxLength || (long)features * (1 + dimensions) > Array.MaxLength || (long)features * frequencies > Array.MaxLength)
        {
            throw new ArgumentException($"Expected at most {Array.MaxLength:N0} parameters in one layer. Received: {features:N0} features of {frequencies:N0} frequencies and {dimensions:N0} dimensions.");
        }
        InputFeatures = features;
        Frequencies = frequencies;
        Dimensions = dimensions;
        Sigma = sigma;
        ParameterCount = (int)parameters;
    }

    /// <inheritdoc/>
    public int InputFeatures { get; }

    /// <inheritdoc/>
    public int OutputFeatures => InputFeatures * (1 + Dimensions);

    /// <summary>Cosines per feature <c>K</c>.</summary>
    public int Frequencies { get; }

    /// <summary>Embedding values per feature <c>D</c>.</summary>
    public int Dimensions { get; }

    /// <summary>Standard deviation of the initial frequencies.</summary>
    public double Sigma { get; }

    /// <inheritdoc/>
    public int ParameterCount { get; }

    private int Angles => InputFeatures * Frequencies;

    /// <summary>The frequencies <c>w (F, K)</c>, in turns per unit of input.</summary>
    public Span<T> FrequencyWeights => _parameters.AsSpan(_offset, Angles);

    /// <summary>The phases <c>b (F, K)</c>, in turns.</summary>
    public Span<T> Phases => _parameters.AsSpan(_offset + Angles, Angles);

    /// <summary>The per-feature linear maps <c>V (F, D, K)</c>.</summary>
    public Span<T> Weight => _parameters.AsSpan(_offset + 2 * Angles, InputFeatures * Dimensions * Frequencies);

    /// <summary>The per-feature biases <c>c (F, D)</c>.</summary>
    public Span<T> Bias => _parameters.AsSpan(_offset + 2 * Angles + InputFeatures * Dimensions * Frequencies, InputFeatures * Dimensions);

    /// <inheritdoc/>
    public void Build(int inputFeatures) => LayerChecks.Width(this, InputFeatures, inputFeatures);

    /// <inheritdoc/>
    public void Bind(T[] parameters, T[] gradients, int offset)
    {
        LayerChecks.Blocks(parameters, gradients, offset, ParameterCount);
        _parameters = parameters;
        _gradients = gradients;
        _offset = offset;
    }

    /// <inheritdoc/>
    public void ResetParameters(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        LayerChecks.Bound(this, _parameters);
        Span<T> w = FrequencyWeights, b = Phases, v = Weight, c = Bias;
        for (int i = 0; i < w.Length; i++) w[i] = T.CreateChecked(Sigma * rng.NextNormal());
        for (int i = 0; i < b.Length; i++) b[i] = T.CreateChecked(rng.NextUniform(-0.5, 0.5));
        double bound = 1 / Math.Sqrt(Frequencies);
        for (int i = 0; i < v.Length; i++) v[i] = T.CreateChecked(rng.NextUniform(-bound, bound));
        for (int i = 0; i < c.Length; i++) c[i] = T.CreateChecked(rng.NextUniform(-bound, bound));
    }

    // input (B, F), w (F, K), b (F, K), V (F, D, K), c (F, D) -> output (B, F·(1+D)): per feature j, with turns = w[j]·x_j + b[j],
    // H_j = cos(2π·turns) (B, K),  E_j = H_j · V[j]ᵀ + c[j] (B, D),  output[b, j·(1+D)] = x_bj,  output[b, j·(1+D) + 1 …] = E_j[b]
    /// <inheritdoc/>
    public void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        LayerChecks.Bound(this, _parameters);
        int f = InputFeatures, k = Frequencies, d = Dimensions, width = OutputFeatures;
        LayerChecks.Length<T>(input, batch * f, nameof(input));
        LayerChecks.Length<T>(output, batch * width, nameof(output));
        // Scratch is rented, so a step allocates nothing once the pool holds buffers of these sizes; local, so one model serves many threads.
        T[] hRented = ArrayPool<T>.Shared.Rent(f * batch * k), eRented = ArrayPool<T>.Shared.Rent(batch * d);
        try
        {
            Span<T> h = hRented.AsSpan(0, f * batch * k), e = eRented.AsSpan(0, batch * d);
            TurnsOf(input, batch, h);
            Turns.CosSin<T>(h, h, []);
            for (int j = 0; j < f; j++)
            {
                Gemm.MultiplyTransposedBAddBias(e, h.Slice(j * batch * k, batch * k), Weight.Slice(j * d * k, d * k), Bias.Slice(j * d, d), batch, d, k,
                    batchInvariant: training is null);
                for (int b = 0; b < batch; b++)
                {
                    int at = b * width + j * (1 + d);
                    output[at] = input[b * f + j];
                    e.Slice(b * d, d).CopyTo(output.Slice(at + 1, d));
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(hRented);
            ArrayPool<T>.Shared.Return(eRented);
        }
    }

    // forward was: turns = w·x + b, H = cos(2π·turns), E = H·Vᵀ + c, output = [x, E] per feature, so per feature j
    // dV[j] += dE_jᵀ·H_j,  dc[j] += Σ_b dE_j[b],  dturns = −2π·sin(2π·turns) ⊙ (dE_j·V[j]),  dw[j] += Σ_b x_bj·dturns[b],
    // db[j] += Σ_b dturns[b],  dx_bj = doutput[b, j·(1+D)] + w[j] · dturns[b]
    /// <inheritdoc/>
    public void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        LayerChecks.Bound(this, _parameters);
        int f = InputFeatures, k = Frequencies, d = Dimensions, width = OutputFeatures;
        LayerChecks.Length<T>(input, batch * f, nameof(input));
        LayerChecks.Length<T>(doutput, batch * width, nameof(doutput));
        if (!dinput.IsEmpty) LayerChecks.Length<T>(dinput, batch * f, nameof(dinput));
        ReadOnlySpan<T> w = FrequencyWeights, v = Weight;
        int angles = Angles, vLength = f * d * k;
        Span<T> dw = _gradients.AsSpan(_offset, angles), db = _gradients.AsSpan(_offset + angles, angles);
        Span<T> dv = _gradients.AsSpan(_offset + 2 * angles, vLength), dc = _gradients.AsSpan(_offset + 2 * angles + vLength, f * d);
        int all = f * batch * k;
        T[] rented = ArrayPool<T>.Shared.Rent(2 * all), deRented = ArrayPool<T>.Shared.Rent(batch * d), gRented = ArrayPool<T>.Shared.Rent(batch * k);
        try
        {
            Span<T> h = rented.AsSpan(0, all), sine = rented.AsSpan(all, all), de = deRented.AsSpan(0, batch * d), g = gRented.AsSpan(0, batch * k);
            TurnsOf(input, batch, h);
            Turns.CosSin<T>(h, h, sine);
            for (int j = 0; j < f; j++)
            {
                Span<T> hj = h.Slice(j * batch * k, batch * k), sj = sine.Slice(j * batch * k, batch * k);
                for (int b = 0; b < batch; b++) doutput.Slice(b * width + j * (1 + d) + 1, d).CopyTo(de.Slice(b * d, d));
                Gemm.MultiplyTransposedA(dv.Slice(j * d * k, d * k), de, hj, d, k, batch, accumulate: true);
                Span<T> dcj = dc.Slice(j * d, d), dbj = db.Slice(j * k, k), dwj = dw.Slice(j * k, k);
                for (int b = 0; b < batch; b++) TensorPrimitives.Add(dcj, de.Slice(b * d, d), dcj);
                Gemm.Multiply(g, de, v.Slice(j * d * k, d * k), batch, k, d, accumulate: false);
                TensorPrimitives.Multiply(g, sj, g);
                TensorPrimitives.Multiply(g, -TwoPi, g);
                ReadOnlySpan<T> wj = w.Slice(j * k, k);
                for (int b = 0; b < batch; b++)
                {
                    Span<T> gb = g.Slice(b * k, k);
                    T xbj = input[b * f + j];
                    TensorPrimitives.Add(dbj, gb, dbj);
                    for (int i = 0; i < k; i++) dwj[i] += xbj * gb[i];
                    if (!dinput.IsEmpty)
                    {
                        T sum = doutput[b * width + j * (1 + d)];
                        for (int i = 0; i < k; i++) sum += wj[i] * gb[i];
                        dinput[b * f + j] = sum;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
            ArrayPool<T>.Shared.Return(deRented);
            ArrayPool<T>.Shared.Return(gRented);
        }
    }

    // turns (F, B, K): turns[j, b, :] = w[j, :]·x_bj + b[j, :], the angle 2π·turns; feature-major, so each feature's (B, K) block is
    // contiguous for its product with V[j].
    private void TurnsOf(ReadOnlySpan<T> input, int batch, Span<T> turns)
    {
        ReadOnlySpan<T> w = FrequencyWeights, phases = Phases;
        int f = InputFeatures, k = Frequencies;
        for (int j = 0; j < f; j++)
        {
            ReadOnlySpan<T> wj = w.Slice(j * k, k), bj = phases.Slice(j * k, k);
            for (int b = 0; b < batch; b++)
            {
                Span<T> t = turns.Slice((j * batch + b) * k, k);
                T x = input[b * f + j];
                for (int i = 0; i < k; i++) t[i] = wj[i] * x + bj[i];
            }
        }
    }

    /// <summary>For example <c>PeriodicEmbedding(8 × 16 cosines → 8 × (1 + 4))  // 800 parameters</c>.</summary>
    public override string ToString() =>
        $"PeriodicEmbedding({InputFeatures} × {Frequencies} cosines → {InputFeatures} × (1 + {Dimensions}))  // {ParameterCount:N0} parameters";
}
