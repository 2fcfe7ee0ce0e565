using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Backprop.Tensors;

namespace Backprop.Losses;

/// <summary>Softmax followed by cross-entropy, fused: <c>loss = −log softmax(logits)[target] = logsumexp(logits) − logits[target]</c>.</summary>
/// <remarks>
/// <para>
/// logits <c>(B, C)</c>, target <c>(B, 1)</c> holding class indices <c>0 .. C−1</c>.
/// Numerically stable: the row maximum is subtracted before <c>exp</c>, and the loss is computed from log-sum-exp, so it never
/// takes <c>log(0)</c> and never overflows, unlike the notebook's <c>log(softmax(x))</c>.
/// The gradient needs no separate softmax backward: <c>dlogits = (softmax(logits) − onehot(target)) / B</c>.
/// </para>
/// <para>
/// Equivalent to PyTorch's <c>nn.CrossEntropyLoss(weight=w, label_smoothing=ε)</c> with mean reduction. With class weights
/// <c>w</c> and smoothing <c>ε</c>, sample <c>b</c> of label <c>y</c> costs
/// <c>(1 − ε) · w_y · (−log p_y) + ε/C · Σ_c w_c · (−log p_c)</c>, and the batch loss divides the sum by <c>Σ_b w_{y_b}</c>
/// (PyTorch's weighted mean). Per-sample weights <c>s_b</c> multiply both the sample's cost and its share of that divisor.
/// </para>
/// </remarks>
public sealed class SoftmaxCrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _classWeights;
    private readonly T _smoothing;

    /// <summary>Plain softmax cross-entropy: no class weights, no label smoothing.</summary>
    public SoftmaxCrossEntropy() : this(null) { }

    /// <summary>Softmax cross-entropy with optional per-class weights and label smoothing.</summary>
    /// <param name="classWeights">One weight ≥ 0 per class (for example from <see cref="Preprocessing.ClassWeights.Balanced"/>), or null for all 1.</param>
    /// <param name="labelSmoothing">ε in <c>[0, 1]</c>: the target becomes <c>(1 − ε) · onehot + ε / C</c>. Default 0.</param>
    public SoftmaxCrossEntropy(IReadOnlyList<double>? classWeights, double labelSmoothing = 0)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Expected a label smoothing in [0, 1].");
        }
        if (classWeights is not null && classWeights.Any(w => !(w >= 0) || !double.IsFinite(w)))
        {
            throw new ArgumentException($"Expected finite class weights ≥ 0. Received: [{string.Join(", ", classWeights)}].", nameof(classWeights));
        }
        ClassWeights = classWeights?.ToArray();
        LabelSmoothing = labelSmoothing;
        _classWeights = classWeights?.Select(T.CreateChecked).ToArray() ?? [];
        _smoothing = T.CreateChecked(labelSmoothing);
    }

    /// <summary>The weight of each class, or null when all classes weigh 1.</summary>
    public IReadOnlyList<double>? ClassWeights { get; }

    /// <summary>Label smoothing ε.</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc/>
    public int TargetColumns(int outputs) => 1;

    /// <inheritdoc/>
    public T Forward(ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch) =>
        Compute(Span<T>.Empty, output, target, weight, batch);

    /// <inheritdoc/>
    public T ForwardBackward(Span<T> doutput, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch)
    {
        LossChecks.GradientBuffer(doutput.Length, output.Length);
        return Compute(doutput, output, target, weight, batch);
    }

    private T Compute(Span<T> dlogits, ReadOnlySpan<T> logits, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch)
    {
        if (batch == 0)
        {
            return T.Zero;
        }
        // One row is the per-sample step's case: no division on its path.
        int classes = batch == 1 ? logits.Length : logits.Length / batch;
        if (classes * batch != logits.Length || target.Length < batch || (!weight.IsEmpty && weight.Length < batch))
        {
            throw new ArgumentException(
                $"Expected logits (B, C) with B = {batch}, target (B) and weight (B) or none. Received: {logits.Length} logits, {target.Length} targets, {weight.Length} weights.");
        }
        // The general case is kept out of line: its frame is large, and the per-sample steps take the plain case millions of times a second.
        return _classWeights.Length == 0 && _smoothing == T.Zero && weight.IsEmpty
            ? Unweighted(dlogits, logits, target, batch, classes)
            : Weighted(dlogits, logits, target, weight, batch, classes);
    }

    // logits (B, C), target (B), sample weight s (B) or none -> Σ_b s_b ℓ_b / Σ_b s_b w_{y_b};
    // dlogits (B, C) = s_b (A p − (1 − ε) w_y onehot − ε/C w) / Σ s w_y,  A = (1 − ε) w_y + ε/C Σ_c w_c
    [MethodImpl(MethodImplOptions.NoInlining)]
    private T Weighted(Span<T> dlogits, ReadOnlySpan<T> logits, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch, int classes)
    {
        bool weighted = _classWeights.Length > 0;
        if (weighted && _classWeights.Length != classes)
        {
            throw new ArgumentException($"Expected {_classWeights.Length} classes (one per class weight). Received: logits with {classes} columns.");
        }
        T smoothShare = _smoothing / T.CreateChecked(classes), keep = T.One - _smoothing;
        T weightSum = T.Zero;
        for (int c = 0; c < classes; c++) weightSum += weighted ? _classWeights[c] : T.One;

        T totalWeight = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            T classWeight = weighted ? _classWeights[Label(target, b, classes)] : T.One;
            totalWeight += (weight.IsEmpty ? T.One : weight[b]) * classWeight;
        }
        T scale = totalWeight > T.Zero ? T.One / totalWeight : T.Zero;
        // e (B, C) = exp(z − max_b), every row's in one vector pass (a row of a few classes fills no vector on its own); kept in
        // dlogits, where the gradient overwrites it value by value.
        int count = batch * classes;
        Span<T> e = dlogits.IsEmpty ? Scratch(count) : dlogits[..count];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> row = logits.Slice(b * classes, classes);
            TensorPrimitives.Subtract(row, Exponentials.Max(row), e.Slice(b * classes, classes));
        }
        Exponentials.ExpInPlace(e);
        T loss = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> row = logits.Slice(b * classes, classes);
            Span<T> erow = e.Slice(b * classes, classes);
            int label = Label(target, b, classes);
            T sum = Exponentials.SumInOrder<T>(erow);
            T logSumExp = Exponentials.Max(row) + T.Log(sum);
            T labelWeight = weighted ? _classWeights[label] : T.One;
            T sampleWeight = weight.IsEmpty ? T.One : weight[b];
            // −log p_c = logSumExp − row[c]
            T sampleLoss = keep * labelWeight * (logSumExp - row[label]);
            if (_smoothing != T.Zero)
            {
                sampleLoss += smoothShare * SmoothingSum(row, logSumExp, _classWeights);
            }
            loss += sampleWeight * sampleLoss;
            if (!dlogits.IsEmpty)
            {
                // erow is this row of dlogits, e_c in place: dlogits_c = s (A e_c / Σ e − ε/C w_c) / Σ s w_y, the label's less
                // s (1 − ε) w_y / Σ s w_y, element by element (the same bits at any vector width).
                T factor = sampleWeight * scale;
                T a = keep * labelWeight + smoothShare * weightSum;
                TensorPrimitives.Multiply(erow, a * factor / sum, erow);
                if (weighted)
                {
                    TensorPrimitives.MultiplyAdd(_classWeights, -smoothShare * factor, erow, erow);
                }
                else if (_smoothing != T.Zero)
                {
                    TensorPrimitives.Add(erow, -smoothShare * factor, erow);
                }
                erow[label] -= keep * labelWeight * factor;
            }
        }
        return loss * scale;
    }

    // The common case (no class weights, smoothing or sample weights), one exp per logit:
    // logits z (B, C), target y (B) -> (1/B) Σ_b ℓ_b,  ℓ_b = max_b + log Σ_c exp(z_bc − max_b) − z_by
    // dlogits (B, C) = (p − onehot(y)) / B,  p_bc = exp(z_bc − max_b) / Σ_c exp(z_bc − max_b)
    private static T Unweighted(Span<T> dlogits, ReadOnlySpan<T> logits, ReadOnlySpan<T> target, int batch, int classes)
    {
        T scale = batch == 1 ? T.One : T.One / T.CreateTruncating(batch), loss = T.Zero;
        bool backward = !dlogits.IsEmpty;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> row = logits.Slice(b * classes, classes);
            int label = Label(target, b, classes);
            T max = Exponentials.Max(row);
            T sum = T.Zero;
            if (backward)
            {
                // The exponentials are kept in dlogits and scaled into probabilities below.
                Span<T> drow = dlogits.Slice(b * classes, classes);
                for (int c = 0; c < classes; c++)
                {
                    T e = T.Exp(row[c] - max);
                    drow[c] = e;
                    sum += e;
                }
                T factor = scale / sum;
                for (int c = 0; c < classes; c++)
                {
                    drow[c] *= factor;
                }
                drow[label] -= scale;
            }
            else
            {
                for (int c = 0; c < classes; c++)
                {
                    sum += T.Exp(row[c] - max);
                }
            }
            loss += max + T.Log(sum) - row[label];
        }
        return loss * scale;
    }

    // Σ_c w_c (logSumExp − z_c), the label-smoothing share of a row's loss before ε/C; w_c = 1 without class weights (1 · x is x).
    // Out of line, as Exponentials.SumInOrder is: inside Weighted's large frame the running sum lived on the stack.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T SmoothingSum(ReadOnlySpan<T> row, T logSumExp, ReadOnlySpan<T> classWeights)
    {
        T smooth = T.Zero;
        if (classWeights.IsEmpty)
        {
            for (int c = 0; c < row.Length; c++)
            {
                smooth += logSumExp - row[c];
            }
            return smooth;
        }
        for (int c = 0; c < row.Length; c++)
        {
            smooth += classWeights[c] * (logSumExp - row[c]);
        }
        return smooth;
    }

    // The exponentials of a forward-only call (validation), which has no gradient buffer to keep them in; per thread, kept.
    [ThreadStatic]
    private static T[]? t_exponentials;

    private static Span<T> Scratch(int length)
    {
        if (t_exponentials is null || t_exponentials.Length < length) t_exponentials = new T[length];
        return t_exponentials.AsSpan(0, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Label(ReadOnlySpan<T> target, int row, int classes)
    {
        int label = int.CreateSaturating(target[row]);
        if ((uint)label >= (uint)classes)
        {
            ThrowBadLabel(target[row], row, classes);
        }
        return label;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadLabel(T value, int row, int classes) =>
        throw new ArgumentOutOfRangeException("target", $"Expected class indices in [0, {classes}). Received: {value} in row {row}.");

    /// <summary>For example <c>SoftmaxCrossEntropy()</c> or <c>SoftmaxCrossEntropy(label smoothing: 0.1)</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (ClassWeights is not null) parts.Add($"class weights: [{string.Join(", ", ClassWeights.Select(w => w.ToString("G4", CultureInfo.InvariantCulture)))}]");
        if (LabelSmoothing != 0) parts.Add($"label smoothing: {LabelSmoothing.ToString(CultureInfo.InvariantCulture)}");
        return $"SoftmaxCrossEntropy({string.Join(", ", parts)})";
    }
}
