using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Losses;

/// <summary>
/// The loss of <c>M</c> networks trained side by side (<see cref="Layers.Mlp.Create{T}"/> with several members): training minimizes
/// the mean of the members' losses, and evaluation scores the ensemble's averaged prediction.
/// </summary>
/// <remarks>
/// <para>
/// output <c>(B, M·O)</c>, the members' outputs side by side; target <c>(B, K)</c> as for one member. Row-major, the output is
/// also <c>(B·M, O)</c>, one row per sample and member, so training hands the inner loss that view with every target (and weight)
/// repeated <c>M</c> times: the mean over <c>B·M</c> rows is the mean of the members' mean losses, and each member's gradient is
/// its own loss's, divided by <c>M</c>. Each member learns to predict on its own, as in TabM (Gorishniy et al., 2024), rather
/// than the members learning to correct one another (which training the averaged prediction would ask of them).
/// </para>
/// <para>
/// <see cref="Forward"/> (validation, early stopping) is the inner loss of the ensemble's prediction: the members' outputs averaged
/// by <see cref="Average"/> (<see cref="Combine"/>) into one output <c>(B, O)</c> in the inner loss's own terms.
/// </para>
/// <para>An instance keeps buffers between calls: one trainer uses it at a time.</para>
/// </remarks>
public sealed class EnsembleLoss<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[]? _targets;
    private T[]? _weights;
    private T[]? _combined;
    private Matrix<T>? _evaluated;
    private Matrix<T>? _evaluatedTargets;
    private T[]? _evaluatedHeldOut;

    /// <summary>
    /// Wraps <paramref name="inner"/>, one member's loss, for <paramref name="members"/> members of <paramref name="outputsPerMember"/>
    /// outputs each, averaged by <paramref name="average"/>.
    /// </summary>
    /// <param name="inner">One member's loss.</param>
    /// <param name="members">Members <c>M</c>.</param>
    /// <param name="outputsPerMember">Outputs of each member <c>O</c>.</param>
    /// <param name="average">How the members' outputs average.</param>
    /// <param name="folded">
    /// The targets carry <c>M</c> more columns, one per member: 1 where the member trains on the row, 0 where it holds the row out
    /// (<see cref="Folded"/>).
    /// </param>
    public EnsembleLoss(ILoss<T> inner, int members, int outputsPerMember, MemberAverage average, bool folded = false)
    {
        Folded = folded;
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputsPerMember, 1);
        Inner = inner;
        Members = members;
        OutputsPerMember = outputsPerMember;
        Average = average;
    }

    /// <summary>
    /// Cross-fitting: each target row ends with one column per member, 1 where the member trains on the row and 0 where it holds it
    /// out. Training weighs each member's loss on a row by its column; evaluation scores each row by the average of the members
    /// that held it out (the out-of-fold prediction), so that every training row validates.
    /// </summary>
    public bool Folded { get; }

    /// <summary>Outputs of each member <c>O</c>.</summary>
    public int OutputsPerMember { get; }

    /// <summary>One member's loss.</summary>
    public ILoss<T> Inner { get; }

    /// <summary>Members <c>M</c>.</summary>
    public int Members { get; }

    /// <summary>How the members' outputs average into the ensemble's.</summary>
    public MemberAverage Average { get; }

    /// <inheritdoc/>
    public int TargetColumns(int outputs) => outputs == Members * OutputsPerMember
        ? Inner.TargetColumns(OutputsPerMember) + (Folded ? Members : 0)
        : throw new ArgumentException($"Expected {Members} × {OutputsPerMember} outputs. Received: {outputs}.", nameof(outputs));

    /// <summary>The inner loss of the ensemble's averaged prediction.</summary>
    /// <inheritdoc cref="ILoss{T}.Forward"/>
    public T Forward(ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch)
    {
        int outputs = OutputsPerMember;
        Span<T> combined = Buffer(ref _combined, batch * outputs);
        if (!Folded)
        {
            Combine(output[..(batch * outputs * Members)], combined, batch, Members, Average);
            return Inner.Forward(combined, target, weight, batch);
        }
        int columns = Inner.TargetColumns(OutputsPerMember);
        Span<T> heldOut = Buffer(ref _weights, batch * Members), targets = Buffer(ref _targets, batch * columns);
        SplitFolded(target, batch, columns, targets, heldOut);
        Combine(output[..(batch * outputs * Members)], combined, batch, Members, Average, heldOut);
        return Inner.Forward(combined, targets, weight, batch);
    }

    /// <summary>
    /// The ensemble's outputs <c>(N, O)</c> for <paramref name="targets"/>' rows, and the targets without the member columns: with
    /// <see cref="Folded"/> targets, each row averages the members that held it out; otherwise all members.
    /// </summary>
    public (Matrix<T> Outputs, Matrix<T> Targets) Evaluate(Matrix<T> outputs, Matrix<T> targets)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(targets);
        int rows = outputs.Rows;
        return EvaluateInto(outputs, targets, new Matrix<T>(rows, OutputsPerMember),
            Folded ? new Matrix<T>(rows, Inner.TargetColumns(OutputsPerMember)) : targets, Folded ? new T[rows * Members] : []);
    }

    /// <summary>
    /// <see cref="Evaluate"/> into buffers this loss keeps from call to call (the trainer's metric after every epoch, which then
    /// allocates nothing): the matrices returned hold their values until the next call.
    /// </summary>
    internal (Matrix<T> Outputs, Matrix<T> Targets) EvaluateReusing(Matrix<T> outputs, Matrix<T> targets)
    {
        int rows = outputs.Rows;
        if (_evaluated?.Rows != rows)
        {
            _evaluated = new Matrix<T>(rows, OutputsPerMember);
            _evaluatedTargets = Folded ? new Matrix<T>(rows, Inner.TargetColumns(OutputsPerMember)) : null;
            _evaluatedHeldOut = Folded ? new T[rows * Members] : [];
        }
        return EvaluateInto(outputs, targets, _evaluated, _evaluatedTargets ?? targets, _evaluatedHeldOut!);
    }

    private (Matrix<T> Outputs, Matrix<T> Targets) EvaluateInto(Matrix<T> outputs, Matrix<T> targets, Matrix<T> combined, Matrix<T> plain, T[] heldOut)
    {
        int rows = outputs.Rows;
        if (!Folded)
        {
            Combine(outputs.Data, combined.Data, rows, Members, Average);
            return (combined, targets);
        }
        SplitFolded(targets.Data, rows, plain.Columns, plain.Data, heldOut);
        Combine(outputs.Data, combined.Data, rows, Members, Average, heldOut);
        return (combined, plain);
    }

    // Folded targets (B, K + M) -> the targets (B, K) and, per row and member, 1 where the member holds the row out (B·M).
    private void SplitFolded(ReadOnlySpan<T> target, int batch, int columns, Span<T> targets, Span<T> heldOut)
    {
        int width = columns + Members;
        for (int b = 0; b < batch; b++)
        {
            target.Slice(b * width, columns).CopyTo(targets.Slice(b * columns, columns));
            for (int m = 0; m < Members; m++)
            {
                heldOut[b * Members + m] = target[b * width + columns + m] == T.Zero ? T.One : T.Zero;
            }
        }
    }

    /// <summary>The mean of the members' losses, and its gradient.</summary>
    /// <inheritdoc cref="ILoss{T}.ForwardBackward"/>
    public T ForwardBackward(Span<T> doutput, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch)
    {
        int columns = Inner.TargetColumns(OutputsPerMember), width = columns + (Folded ? Members : 0);
        Span<T> targets = Buffer(ref _targets, batch * Members * columns);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> row = target.Slice(b * width, columns);
            for (int m = 0; m < Members; m++) row.CopyTo(targets.Slice((b * Members + m) * columns, columns));
        }
        Span<T> weights = [];
        if (!weight.IsEmpty || Folded)
        {
            // A member's weight on a row: the row's own weight, times 0 where the member holds the row out.
            weights = Buffer(ref _weights, batch * Members);
            for (int b = 0; b < batch; b++)
            {
                T w = weight.IsEmpty ? T.One : weight[b];
                for (int m = 0; m < Members; m++) weights[b * Members + m] = Folded ? w * target[b * width + columns + m] : w;
            }
        }
        int length = batch * Members * OutputsPerMember;
        return Inner.ForwardBackward(doutput[..length], output[..length], targets, weights, batch * Members);
    }

    /// <summary>Averages the members' outputs <c>(B, M·O)</c> into the ensemble's <c>(B, O)</c>, in the same terms as one member's.</summary>
    /// <remarks>
    /// <see cref="MemberAverage.Values"/>: the mean. <see cref="MemberAverage.SoftmaxProbabilities"/>: the log of the mean of the
    /// members' softmax probabilities, logits whose softmax is that mean. <see cref="MemberAverage.SigmoidProbabilities"/>: per
    /// output, the logit of the mean of the members' sigmoids. Both computed from log-probabilities with log-sum-exp, so they stay
    /// finite for any finite outputs (a probability that underflows to 0 in one member does not make the log infinite).
    /// </remarks>
    /// <param name="outputs">The members' outputs <c>(B, M·O)</c>.</param>
    /// <param name="combined">Receives the ensemble's <c>(B, O)</c>.</param>
    /// <param name="batch">Rows <c>B</c>.</param>
    /// <param name="members">Members <c>M</c>.</param>
    /// <param name="average">How the outputs average.</param>
    /// <param name="include">Per row and member <c>(B·M)</c>, 1 to average the member in and 0 to leave it out; empty for all. A row that includes no member averages all.</param>
    public static void Combine(ReadOnlySpan<T> outputs, Span<T> combined, int batch, int members, MemberAverage average, ReadOnlySpan<T> include = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (batch == 0) return;
        int o = outputs.Length / batch / members;
        if (o == 0 || outputs.Length != batch * members * o || combined.Length < batch * o)
        {
            throw new ArgumentException($"Expected outputs (B, M·O) and room for (B, O) with B = {batch}, M = {members}. Received: {outputs.Length} and {combined.Length} values.");
        }
        if (!include.IsEmpty && include.Length < batch * members)
        {
            throw new ArgumentException($"Expected one include flag per row and member ({batch * members}). Received: {include.Length}.", nameof(include));
        }
        if (average == MemberAverage.SoftmaxProbabilities && !include.IsEmpty)
        {
            CombineHeldOut(outputs, combined, batch, members, o, include);
            return;
        }
        Span<T> logProbabilities = average == MemberAverage.SigmoidProbabilities ? new T[members * o] : [];
        Span<T> logComplements = average == MemberAverage.SigmoidProbabilities ? new T[members * o] : [];
        for (int b = 0; b < batch; b++)
        {
            CombineRow(outputs, combined, b, members, o, average, include, logProbabilities, logComplements);
        }
    }

    // Softmax members with include flags: a cross-fitted row is held out by one member, and its average is that member's
    // log-softmax, z − logsumexp(z) (+ 0, as CombineRow's log-sum-exp of one value gives it). Such rows are taken a chunk at a
    // time, with one exponential pass for the chunk rather than one per row (each exponential depends on its value alone, and
    // each row's sum stays in order: the bits of CombineRow); a row of several members, or of none, goes through CombineRow.
    private static void CombineHeldOut(ReadOnlySpan<T> outputs, Span<T> combined, int batch, int members, int o, ReadOnlySpan<T> include)
    {
        int chunk = Math.Clamp(Exponentials.ChunkValues / o, 1, batch);
        Span<T> e = Buffer(ref t_chunk, chunk * o), maxima = Buffer(ref t_maxima, chunk);
        if (t_member is null || t_member.Length < chunk) t_member = new int[chunk];
        Span<int> member = t_member.AsSpan(0, chunk);
        for (int first = 0; first < batch; first += chunk)
        {
            int count = Math.Min(chunk, batch - first);
            for (int r = 0; r < count; r++)
            {
                int b = first + r, single = -1;
                for (int m = 0; m < members; m++)
                {
                    if (include[b * members + m] == T.Zero) continue;
                    single = single == -1 ? m : -2;
                }
                member[r] = single;
                if (single < 0) continue;
                ReadOnlySpan<T> z = outputs.Slice((b * members + single) * o, o);
                maxima[r] = Exponentials.Max(z);
                TensorPrimitives.Subtract(z, maxima[r], e.Slice(r * o, o));
            }
            Exponentials.ExpInPlace(e[..(count * o)]);
            for (int r = 0; r < count; r++)
            {
                int b = first + r;
                if (member[r] < 0)
                {
                    CombineRow(outputs, combined, b, members, o, MemberAverage.SoftmaxProbabilities, include, [], []);
                    continue;
                }
                ReadOnlySpan<T> z = outputs.Slice((b * members + member[r]) * o, o);
                Span<T> result = combined.Slice(b * o, o);
                T lse = maxima[r] + T.Log(Exponentials.SumInOrder<T>(e.Slice(r * o, o)));
                TensorPrimitives.Subtract(z, lse, result);
                TensorPrimitives.Add(result, T.Zero, result);
            }
        }
    }

    // Row b of Combine; logProbabilities and logComplements are (M·O) scratch for sigmoid averages, empty otherwise.
    private static void CombineRow(ReadOnlySpan<T> outputs, Span<T> combined, int b, int members, int o, MemberAverage average,
        ReadOnlySpan<T> include, Span<T> logProbabilities, Span<T> logComplements)
    {
        ReadOnlySpan<T> all = outputs.Slice(b * members * o, members * o);
        Span<T> result = combined.Slice(b * o, o);
        // The included members' outputs, packed: (count, O).
        int count = 0;
        Span<T> row = Buffer(ref t_packed, members * o);
        for (int m = 0; m < members; m++)
        {
            if (include.IsEmpty || include[b * members + m] != T.Zero) all.Slice(m * o, o).CopyTo(row.Slice(count++ * o, o));
        }
        if (count == 0)
        {
            all.CopyTo(row);
            count = members;
        }
        switch (average)
        {
            case MemberAverage.Values:
                result.Clear();
                for (int m = 0; m < count; m++)
                {
                    for (int c = 0; c < o; c++) result[c] += row[m * o + c];
                }
                for (int c = 0; c < o; c++) result[c] /= T.CreateChecked(count);
                break;
            case MemberAverage.SoftmaxProbabilities:
                // log p̄[c] = log Σ_m softmax(z_m)[c] − log M, with log softmax(z_m) = z_m − logsumexp(z_m) (in place)
                for (int m = 0; m < count; m++)
                {
                    Span<T> z = row.Slice(m * o, o);
                    T lse = LogSumExp(z);
                    for (int c = 0; c < o; c++) z[c] -= lse;
                }
                if (count == 1)
                {
                    // One member (a cross-fitted row's, held out by one): the log-sum-exp of one finite value x is x + log exp(0)
                    // = x + 0 and log 1 = 0, so the result is x + 0, to the bit, without an exp and a log per output.
                    for (int c = 0; c < o; c++) result[c] = row[c] + T.Zero;
                    break;
                }
                T logCount = T.Log(T.CreateChecked(count));
                for (int c = 0; c < o; c++) result[c] = LogSumExpStrided(row, c, o, count) - logCount;
                break;
            case MemberAverage.SigmoidProbabilities:
                // logit(p̄) = log p̄ − log(1 − p̄), with log σ(z) = −softplus(−z) and log(1 − σ(z)) = −softplus(z)
                for (int i = 0; i < count * o; i++)
                {
                    logProbabilities[i] = -Softplus(-row[i]);
                    logComplements[i] = -Softplus(row[i]);
                }
                for (int c = 0; c < o; c++)
                {
                    result[c] = LogSumExpStrided(logProbabilities, c, o, count) - LogSumExpStrided(logComplements, c, o, count);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(average), average, "Expected a defined member average.");
        }
    }

    private static T LogSumExp(ReadOnlySpan<T> values)
    {
        T max = Exponentials.Max(values);
        // The exponentials in one vector pass (Exponentials), summed in order.
        Span<T> e = Buffer(ref t_exponentials, values.Length);
        TensorPrimitives.Subtract(values, max, e);
        Exponentials.ExpInPlace(e);
        return max + T.Log(Exponentials.SumInOrder<T>(e));
    }

    // logsumexp of values[start], values[start + stride], … (count of them)
    private static T LogSumExpStrided(ReadOnlySpan<T> values, int start, int stride, int count)
    {
        T max = values[start];
        for (int m = 1; m < count; m++) max = T.Max(max, values[start + m * stride]);
        T sum = T.Zero;
        for (int m = 0; m < count; m++) sum += T.Exp(values[start + m * stride] - max);
        return max + T.Log(sum);
    }

    private static T Softplus(T x) => T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x)));

    [ThreadStatic]
    private static T[]? t_packed;

    [ThreadStatic]
    private static T[]? t_exponentials;

    [ThreadStatic]
    private static T[]? t_chunk;

    [ThreadStatic]
    private static T[]? t_maxima;

    [ThreadStatic]
    private static int[]? t_member;

    private static Span<T> Buffer(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[length];
        return buffer.AsSpan(0, length);
    }

    /// <summary>For example <c>SoftmaxCrossEntropy, mean over 4 members</c>.</summary>
    public override string ToString() => $"{Inner}, mean over {Members} members";
}
