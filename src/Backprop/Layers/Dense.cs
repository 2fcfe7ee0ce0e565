using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Fully connected layer: <c>output = input · weightᵀ + bias</c>.</summary>
/// <remarks>
/// input <c>(B, I)</c> → output <c>(B, O)</c>; weight <c>(O, I)</c> and bias <c>(O)</c>, the layout of PyTorch's <c>nn.Linear</c>,
/// so saved tensors load into PyTorch unchanged. Initialized like <c>nn.Linear</c> unless told otherwise (<see cref="Initialization"/>).
/// </remarks>
public sealed class Dense<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _parameters = [];
    private T[] _gradients = [];
    private int _offset;
    private readonly int _parameterCount;

    /// <summary>Creates a dense layer from <paramref name="inputFeatures"/> to <paramref name="outputFeatures"/>.</summary>
    public Dense(int inputFeatures, int outputFeatures, Initialization initialization = Initialization.PyTorch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputFeatures);
        InputFeatures = inputFeatures;
        OutputFeatures = outputFeatures;
        Initialization = initialization;
        long parameters = (long)outputFeatures * inputFeatures + outputFeatures;
        if (parameters > Array.MaxLength)
        {
            throw new ArgumentException($"Expected at most {Array.MaxLength:N0} parameters in one layer. Received: {inputFeatures:N0} × {outputFeatures:N0} weights and biases.");
        }
        _parameterCount = (int)parameters;
    }

    /// <inheritdoc/>
    public int InputFeatures { get; }

    /// <inheritdoc/>
    public int OutputFeatures { get; }

    /// <summary>How <see cref="ResetParameters"/> draws the weights.</summary>
    public Initialization Initialization { get; }

    /// <inheritdoc/>
    public int ParameterCount => _parameterCount;

    /// <summary>The weight <c>(O, I)</c>, row-major.</summary>
    public Span<T> Weight => _parameters.AsSpan(_offset, OutputFeatures * InputFeatures);

    /// <summary>The bias <c>(O)</c>.</summary>
    public Span<T> Bias => _parameters.AsSpan(_offset + OutputFeatures * InputFeatures, OutputFeatures);

    /// <summary>The accumulated weight gradient <c>(O, I)</c>.</summary>
    public Span<T> WeightGradient => _gradients.AsSpan(_offset, OutputFeatures * InputFeatures);

    /// <summary>The accumulated bias gradient <c>(O)</c>.</summary>
    public Span<T> BiasGradient => _gradients.AsSpan(_offset + OutputFeatures * InputFeatures, OutputFeatures);

    /// <inheritdoc/>
    public void Build(int inputFeatures)
    {
        if (inputFeatures != InputFeatures)
        {
            throw new ArgumentException(
                $"{this} expected {InputFeatures} input features. Received: {inputFeatures}.", nameof(inputFeatures));
        }
    }

    /// <inheritdoc/>
    public void Bind(T[] parameters, T[] gradients, int offset)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        // The per-sample path reads and writes these blocks through pointers: their lengths are checked once, here.
        if (offset < 0 || parameters.Length - offset < _parameterCount || gradients.Length - offset < _parameterCount)
        {
            throw new ArgumentException(
                $"Expected parameter and gradient blocks of at least {offset} + {_parameterCount} values. Received: {parameters.Length} and {gradients.Length}.");
        }
        _parameters = parameters;
        _gradients = gradients;
        _offset = offset;
    }

    /// <inheritdoc/>
    public void ResetParameters(Rng rng) => Initializer.Fill(Initialization, Weight, Bias, InputFeatures, OutputFeatures, rng);

    // input (B, I), weight (O, I), bias (O) -> output (B, O)
    /// <inheritdoc/>
    public void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        // Per-sample training's path; at inference a row takes the product a batch would (Gemm's batchInvariant).
        if (batch == 1 && training is not null)
        {
            ForwardOneSample(output, input);
            return;
        }
        LayerChecks.Bound(this, _parameters);
        // The bias is added as the product is stored (a fused epilogue), not in a second pass over the output.
        Gemm.MultiplyTransposedBAddBias(output, input, Weight, Bias, batch, OutputFeatures, InputFeatures,
            batchInvariant: training is null);
    }

    // input (B, I), weight (O, I), bias (O) -> output (B, O) = max(input · weightᵀ + bias, 0)
    /// <summary>
    /// This layer followed by a ReLU in one pass: <c>max(input · weightᵀ + bias, 0)</c>, the clamp applied as the product is
    /// stored. The same values, bit for bit, as <see cref="Forward"/> then <see cref="Relu{T}.Forward"/>; <see cref="Sequential{T}"/>
    /// calls it for every dense layer followed by a ReLU when a batch has more than one row, and the pre-activation is then not stored.
    /// </summary>
    /// <param name="output">The activations <c>(B, O)</c>.</param>
    /// <param name="input">The inputs <c>(B, I)</c>.</param>
    /// <param name="batch">Rows <c>B</c>.</param>
    /// <param name="training">As <see cref="Forward"/>'s: the run's generator while training, <see langword="null"/> at inference.</param>
    public void ForwardWithRelu(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training = null)
    {
        if (batch == 1 && training is not null)
        {
            ForwardOneSample(output, input);
            unsafe
            {
                fixed (T* y = output) GemmDirect<T>.ClampNegativeToZero(y, OutputFeatures);
            }
            return;
        }
        LayerChecks.Bound(this, _parameters);
        Gemm.MultiplyTransposedBAddBias(output, input, Weight, Bias, batch, OutputFeatures, InputFeatures, relu: true,
            batchInvariant: training is null);
    }

    // input (B, I), weight rows [first, first + count) -> output columns [first, first + count) of (B, O), at inference
    /// <summary>
    /// Units <c>[first, first + count)</c> of <see cref="Forward"/> at inference (or of <see cref="ForwardWithRelu"/> when
    /// <paramref name="relu"/>), written into those columns of <paramref name="output"/> <c>(B, O)</c>; its other columns are
    /// left as they are. Each unit is its own product over the inputs, so these are the whole layer's values, bit for bit, as
    /// long as the kernel is chosen alike for <paramref name="count"/> units and for <c>O</c> (<see cref="Gemm.IsDirect"/>):
    /// one member's units of an ensemble's first layer (<see cref="Sequential{T}"/>'s member-by-member prediction).
    /// </summary>
    internal void ForwardUnits(Span<T> output, ReadOnlySpan<T> input, int batch, int first, int count, bool relu)
    {
        LayerChecks.Bound(this, _parameters);
        int i = InputFeatures, o = OutputFeatures;
        LayerChecks.Length<T>(input, batch * i, nameof(input));
        LayerChecks.Length<T>(output, batch * o, nameof(output));
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, o - first);
        if (batch == 0 || count == 0) return;
        Gemm.MultiplyStrided(output[first..], o, input, i, 1, Weight[(first * i)..], 1, i, batch, count, i, accumulate: false,
            Bias.Slice(first, count), batchInvariant: true, relu);
    }

    // forward was: output = input · weightᵀ + bias, so
    // dinput = doutput · weight,  dweight += doutputᵀ · input,  dbias += Σ_b doutput
    /// <inheritdoc/>
    public void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        int o = OutputFeatures, i = InputFeatures;
        if (batch == 1)
        {
            BackwardOneSample(dinput, doutput, input);
            return;
        }
        if (!dinput.IsEmpty)
        {
            Gemm.Multiply(dinput, doutput, Weight, batch, i, o, accumulate: false);
        }
        Gemm.MultiplyTransposedA(WeightGradient, doutput, input, o, i, batch, accumulate: true);
        Span<T> dbias = BiasGradient;
        for (int b = 0; b < batch; b++)
        {
            TensorPrimitives.Add(dbias, doutput.Slice(b * o, o), dbias);
        }
    }

    // The per-sample path (B = 1, the notebook's): the same arithmetic as Gemm's direct path, without setting up a product.
    // It runs millions of times a second, so it reads the parameter block directly instead of through the span properties.
    // input (I), weight (O, I), bias (O) -> output (O): output[o] = bias[o] + weight[o, :] · input
    private unsafe void ForwardOneSample(Span<T> output, ReadOnlySpan<T> input)
    {
        int o = OutputFeatures, i = InputFeatures;
        if (output.Length < o || input.Length < i || _parameters.Length - _offset < _parameterCount)
        {
            Gemm.CheckShapes(output.Length, input.Length, o * i, 1, o, i);
            throw NotBound();
        }
        fixed (T* y = output, x = input, parameters = _parameters)
        {
            T* w = parameters + _offset;
            GemmDirect<T>.MultiplyVectorAddBias(y, w, x, w + o * i, o, i);
        }
    }

    // forward was: output[o] = bias[o] + weight[o, :] · input, so
    // dinput = Σ_o doutput[o] · weight[o, :],  dweight += doutput ⊗ input,  dbias += doutput
    private unsafe void BackwardOneSample(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input)
    {
        int o = OutputFeatures, i = InputFeatures;
        if (input.Length < i || doutput.Length < o || _parameters.Length - _offset < _parameterCount)
        {
            Gemm.CheckShapes(input.Length, doutput.Length, o * i, 1, i, o);
            throw NotBound();
        }
        if (!dinput.IsEmpty && dinput.Length < i)
        {
            throw new ArgumentException($"Expected dinput of at least {i} values. Received: {dinput.Length}.", nameof(dinput));
        }
        fixed (T* dx = dinput, dy = doutput, x = input, parameters = _parameters, gradients = _gradients)
        {
            T* w = parameters + _offset, dw = gradients + _offset, db = dw + o * i;
            if (dx != null)
            {
                GemmDirect<T>.Scale(dx, w, dy[0], i);
                for (int r = 1; r < o; r++) GemmDirect<T>.AddScaled(dx, w + r * i, dy[r], i);
            }
            GemmDirect<T>.AddOuterProduct(dw, dy, x, o, i);
            for (int r = 0; r < o; r++) db[r] += dy[r];
        }
    }

    private InvalidOperationException NotBound() =>
        new($"{this} has no parameters: build it into a Sequential model before running it.");

    /// <summary>For example <c>Dense(4 → 16)  // 80 parameters</c>.</summary>
    public override string ToString() => $"Dense({InputFeatures} → {OutputFeatures})  // {ParameterCount:N0} parameters";
}
