using System.Numerics;
using System.Runtime.CompilerServices;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>A stack of layers applied one after the other, with all parameters in one contiguous block.</summary>
/// <remarks>
/// <see cref="Parameters"/> and <see cref="Gradients"/> are single arrays that the layers slice, so zeroing the gradients is one
/// clear and an optimizer step is one flat loop. Activations live in a <see cref="Workspace{T}"/> owned by the caller:
/// <see cref="Predict"/> makes its own, which is why a trained model may be used for prediction from many threads at once.
/// </remarks>
public sealed class Sequential<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;

    /// <summary>Builds the model for inputs of <paramref name="inputFeatures"/> features and allocates its parameter block.</summary>
    /// <remarks>The parameters are zero until <see cref="ResetParameters"/> draws them.</remarks>
    public Sequential(int inputFeatures, params ILayer<T>[] layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputFeatures);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("Expected at least one layer. Received: none.", nameof(layers));
        }
        _layers = layers;
        InputFeatures = inputFeatures;
        int features = inputFeatures;
        long total = 0;
        foreach (ILayer<T> layer in layers)
        {
            layer.Build(features);
            features = layer.OutputFeatures;
            total += layer.ParameterCount;
        }
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"Expected at most {Array.MaxLength:N0} parameters. Received: {total:N0}.", nameof(layers));
        }
        OutputFeatures = features;
        Parameters = new T[total];
        Gradients = new T[total];
        int offset = 0;
        foreach (ILayer<T> layer in layers)
        {
            layer.Bind(Parameters, Gradients, offset);
            offset += layer.ParameterCount;
        }
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>Input feature count.</summary>
    public int InputFeatures { get; }

    /// <summary>Output feature count (classes, for a classifier).</summary>
    public int OutputFeatures { get; }

    /// <summary>Every trainable parameter, layer after layer, in one block.</summary>
    public T[] Parameters { get; }

    /// <summary>The gradient of every parameter, laid out like <see cref="Parameters"/>.</summary>
    public T[] Gradients { get; }

    /// <summary>Total number of trainable parameters.</summary>
    public int ParameterCount => Parameters.Length;

    /// <summary>Draws fresh initial parameters for every layer, in order, from <paramref name="rng"/>.</summary>
    public void ResetParameters(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        foreach (ILayer<T> layer in _layers)
        {
            layer.ResetParameters(rng);
        }
    }

    /// <summary>Sets every gradient to zero (one clear of the gradient block).</summary>
    public void ZeroGradients() => Gradients.AsSpan().Clear();

    /// <summary>Allocates activation buffers for batches of up to <paramref name="maxBatch"/> rows.</summary>
    public Workspace<T> CreateWorkspace(int maxBatch) => new(this, maxBatch);

    /// <summary>Runs every layer forward: <c>input (B, I)</c> → output <c>(B, O)</c>, kept in <paramref name="workspace"/>.</summary>
    /// <remarks>
    /// For more than one row, a <see cref="Dense{T}"/> followed by a <see cref="Relu{T}"/> runs as one product that clamps as it
    /// stores (the same bits as the two layers one by one); the dense layer's own output, the pre-activation, is then not kept.
    /// </remarks>
    /// <param name="workspace">Activation buffers from <see cref="CreateWorkspace"/>.</param>
    /// <param name="input">Row-major input, <c>B · I</c> values.</param>
    /// <param name="batch">Rows <c>B</c>, at most the workspace's batch size.</param>
    /// <param name="training">The run's generator while training; <see langword="null"/> at inference.</param>
    /// <returns>The model's output <c>(B, O)</c>, a view into the workspace.</returns>
    public ReadOnlySpan<T> Forward(Workspace<T> workspace, ReadOnlySpan<T> input, int batch, Rng? training = null)
    {
        CheckBatch(workspace, input.Length, batch);
        return ForwardChecked(workspace, input, batch, training);
    }

    /// <summary><see cref="Forward"/> for a caller that has checked the workspace, the input length and the batch once (the trainer, per run).</summary>
    internal ReadOnlySpan<T> ForwardChecked(Workspace<T> workspace, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        if (batch > 1)
        {
            return ForwardFusingRelu(workspace, input, batch, training);
        }
        // One sample: the layers are a few vectors each, and the fused pass below measured no faster there.
        ReadOnlySpan<T> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            Span<T> y = workspace.Output(l, batch);
            _layers[l].Forward(y, x, batch, training);
            x = y;
        }
        return x;
    }

    // Forward, with every Dense followed by a Relu run as one pass (the clamp fused into the product's store): the ReLU's output
    // is written directly, and the dense layer's own output, the pre-activation, is not stored (ReLU's backward reads its
    // output). The same bits as the layers one by one.
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps Forward's per-sample loop as small as it was
    private ReadOnlySpan<T> ForwardFusingRelu(Workspace<T> workspace, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        ReadOnlySpan<T> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            if (_layers[l] is Dense<T> dense && l + 1 < _layers.Length && _layers[l + 1] is Relu<T>)
            {
                Span<T> activation = workspace.Output(l + 1, batch);
                dense.ForwardWithRelu(activation, x, batch, training);
                x = activation;
                l++;
                continue;
            }
            Span<T> y = workspace.Output(l, batch);
            _layers[l].Forward(y, x, batch, training);
            x = y;
        }
        return x;
    }

    /// <summary>
    /// Runs every layer backward from <see cref="Workspace{T}.LossGradient"/> (which the loss has written), accumulating the
    /// parameter gradients into <see cref="Gradients"/>.
    /// </summary>
    /// <param name="workspace">The workspace of the matching <see cref="Forward"/> call.</param>
    /// <param name="input">The input of the matching <see cref="Forward"/> call.</param>
    /// <param name="batch">Rows <c>B</c>.</param>
    public void Backward(Workspace<T> workspace, ReadOnlySpan<T> input, int batch)
    {
        CheckBatch(workspace, input.Length, batch);
        BackwardChecked(workspace, input, batch);
    }

    /// <summary>
    /// <see cref="Backward"/> carried through to the input: also writes the gradient with respect to each input,
    /// <c>∂L/∂x</c> <c>(B, I)</c>, into <paramref name="inputGradient"/> (attributions: how the outputs move with the inputs).
    /// </summary>
    /// <remarks>Like <see cref="Backward"/>, it adds the parameter gradients into <see cref="Gradients"/>.</remarks>
    /// <param name="workspace">The workspace of the matching <see cref="Forward"/> call.</param>
    /// <param name="input">The input of the matching <see cref="Forward"/> call.</param>
    /// <param name="batch">Rows <c>B</c>.</param>
    /// <param name="inputGradient">Receives <c>∂L/∂x</c>, <c>B·I</c> values.</param>
    public void BackwardToInput(Workspace<T> workspace, ReadOnlySpan<T> input, int batch, Span<T> inputGradient)
    {
        CheckBatch(workspace, input.Length, batch);
        if (inputGradient.Length < batch * InputFeatures)
        {
            throw new ArgumentException($"Expected room for {batch * InputFeatures} input gradients. Received: {inputGradient.Length}.", nameof(inputGradient));
        }
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            ReadOnlySpan<T> x = l == 0 ? input[..(batch * InputFeatures)] : workspace.Output(l - 1, batch);
            Span<T> dx = l == 0 ? inputGradient[..(batch * InputFeatures)] : workspace.OutputGradient(l - 1, batch);
            _layers[l].Backward(dx, workspace.OutputGradient(l, batch), x, workspace.Output(l, batch), batch);
        }
    }

    /// <summary><see cref="Backward"/> for a caller that has checked the workspace, the input length and the batch once.</summary>
    internal void BackwardChecked(Workspace<T> workspace, ReadOnlySpan<T> input, int batch)
    {
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            ReadOnlySpan<T> x = l == 0 ? input[..(batch * InputFeatures)] : workspace.Output(l - 1, batch);
            // The first layer's input gradient is never needed: an empty span tells it to skip that product.
            Span<T> dx = l == 0 ? Span<T>.Empty : workspace.OutputGradient(l - 1, batch);
            _layers[l].Backward(dx, workspace.OutputGradient(l, batch), x, workspace.Output(l, batch), batch);
        }
    }

    /// <summary>The rows <see cref="Predict"/> runs through the network at a time.</summary>
    internal const int PredictChunk = 256;

    /// <summary>The model's outputs <c>(N, O)</c> for <paramref name="inputs"/> <c>(N, I)</c>, in inference mode.</summary>
    /// <remarks>
    /// <para>Thread-safe as long as nothing trains the model at the same time: each call uses its own workspace.</para>
    /// <para>
    /// A row's outputs are the same bits whatever rows are predicted with it (one row alone, in a file's last chunk or in a
    /// Parquet row group): at inference the layers' products choose their kernel without the row count
    /// (<see cref="Gemm.MultiplyTransposedBAddBias{T}"/>'s <c>batchInvariant</c>).
    /// </para>
    /// </remarks>
    public Matrix<T> Predict(Matrix<T> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Columns != InputFeatures)
        {
            throw new ArgumentException($"Expected inputs with {InputFeatures} columns. Received: {inputs.Columns}.", nameof(inputs));
        }
        var outputs = new Matrix<T>(inputs.Rows, OutputFeatures);
        PredictInto(inputs, outputs, CreateInferenceWorkspace(Math.Clamp(inputs.Rows, 1, PredictChunk)));
        return outputs;
    }

    /// <summary>Activation buffers for <see cref="PredictInto"/>: chunks of up to <paramref name="maxBatch"/> rows, forward only.</summary>
    internal Workspace<T> CreateInferenceWorkspace(int maxBatch) => new(this, maxBatch, gradients: false);

    /// <summary>
    /// <see cref="Predict"/> into <paramref name="outputs"/> <c>(N, O)</c>, chunk after chunk of <paramref name="workspace"/>'s
    /// rows: the trainer's evaluation after every epoch reuses both, so that it allocates nothing (a new workspace and output
    /// matrix per epoch were large objects, and each epoch's were a full collection of the heap).
    /// </summary>
    internal void PredictInto(Matrix<T> inputs, Matrix<T> outputs, Workspace<T> workspace)
    {
        if (inputs.Columns != InputFeatures || outputs.Rows != inputs.Rows || outputs.Columns != OutputFeatures || workspace.Model != this)
        {
            throw new ArgumentException($"Expected inputs (N, {InputFeatures}), outputs (N, {OutputFeatures}) and this model's workspace. " +
                $"Received: inputs ({inputs.Rows}, {inputs.Columns}), outputs ({outputs.Rows}, {outputs.Columns}).");
        }
        int chunk = workspace.MaxBatch;
        for (int start = 0; start < inputs.Rows; start += chunk)
        {
            int rows = Math.Min(chunk, inputs.Rows - start);
            Forward(workspace, inputs.RowRange(start, rows), rows).CopyTo(outputs.RowRange(start, rows));
        }
    }

    /// <summary>
    /// Whether <see cref="PredictMembersInto"/> can predict the <paramref name="members"/> members of this network one at a time:
    /// it is an ensemble as <see cref="Mlp.Create{T}"/> builds it.
    /// </summary>
    internal bool CanPredictMembers(int members) => MemberSplit(members) >= 0;

    // The layer where an ensemble's members part: any layers on the inputs (shared by the members), then a Dense of the members'
    // units side by side, then only elementwise layers and GroupedDense of one group per member; −1 for any other network. Each
    // member's units must take the kernel the whole layer takes (more than two, Gemm.IsDirect), or their bits could differ.
    private int MemberSplit(int members)
    {
        if (members < 2) return -1;
        int split = 0;
        while (split < _layers.Length && _layers[split] is not Dense<T>) split++;
        if (split == _layers.Length || _layers[split] is not Dense<T> { OutputFeatures: var units, InputFeatures: var inputs } || units % members != 0
            || Gemm.IsDirect(0, units / members, inputs, batchInvariant: true) != Gemm.IsDirect(0, units, inputs, batchInvariant: true))
        {
            return -1;
        }
        for (int l = split + 1; l < _layers.Length; l++)
        {
            bool perMember = _layers[l] is ActivationLayer<T> || (_layers[l] is GroupedDense<T> grouped && grouped.Groups == members);
            if (!perMember) return -1;
        }
        return split;
    }

    /// <summary>
    /// Each row's outputs from one member only: member <c>m</c> predicts the rows <paramref name="rowsOfMember"/>[m] lists, into
    /// its own columns <c>[m·O, (m+1)·O)</c> of <paramref name="outputs"/> <c>(N, M·O)</c>, the same bits as <see cref="PredictInto"/>
    /// gives there; the other members' columns of those rows are left as they were. For the evaluation of a cross-fitted
    /// ensemble, which reads every row's output from the member that held it out: a fifth of the products for five members.
    /// Needs <see cref="CanPredictMembers"/>.
    /// </summary>
    /// <remarks>
    /// A member's rows are gathered a chunk at a time into the workspace. The layers on the inputs run whole; the member's units
    /// of the first dense layer and its group of each grouped layer are computed alone; the elementwise layers between run over
    /// all columns, which is cheap beside the products (the other members' columns hold whatever the buffers held).
    /// </remarks>
    internal void PredictMembersInto(Matrix<T> inputs, Matrix<T> outputs, Workspace<T> workspace, IReadOnlyList<int[]> rowsOfMember)
    {
        int members = rowsOfMember.Count, split = MemberSplit(members);
        if (split < 0 || inputs.Columns != InputFeatures || outputs.Rows != inputs.Rows || outputs.Columns != OutputFeatures || workspace.Model != this)
        {
            throw new ArgumentException($"Expected an ensemble of {members} members, inputs (N, {InputFeatures}), outputs (N, {OutputFeatures}) " +
                $"and this model's workspace. Received: inputs ({inputs.Rows}, {inputs.Columns}), outputs ({outputs.Rows}, {outputs.Columns}).");
        }
        int perMember = OutputFeatures / members;
        for (int m = 0; m < members; m++)
        {
            int[] rows = rowsOfMember[m];
            for (int start = 0; start < rows.Length; start += workspace.MaxBatch)
            {
                int count = Math.Min(workspace.MaxBatch, rows.Length - start);
                Span<T> gathered = workspace.GatheredInputs(count);
                for (int r = 0; r < count; r++) inputs.Row(rows[start + r]).CopyTo(gathered.Slice(r * InputFeatures, InputFeatures));
                ReadOnlySpan<T> y = ForwardMember(workspace, gathered, count, split, m, members);
                for (int r = 0; r < count; r++)
                {
                    y.Slice(r * OutputFeatures + m * perMember, perMember).CopyTo(outputs.Row(rows[start + r]).Slice(m * perMember, perMember));
                }
            }
        }
    }

    // Forward at inference of member `member`'s columns only (PredictMembersInto), from layer `split` on.
    private ReadOnlySpan<T> ForwardMember(Workspace<T> workspace, ReadOnlySpan<T> input, int batch, int split, int member, int members)
    {
        ReadOnlySpan<T> x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            Span<T> y = workspace.Output(l, batch);
            if (l == split)
            {
                var dense = (Dense<T>)_layers[l];
                int units = dense.OutputFeatures / members;
                bool relu = l + 1 < _layers.Length && _layers[l + 1] is Relu<T>;
                // With a ReLU next, the clamp is stored with the product, as ForwardFusingRelu does.
                if (relu) y = workspace.Output(++l, batch);
                dense.ForwardUnits(y, x, batch, member * units, units, relu);
            }
            else if (l > split && _layers[l] is GroupedDense<T> grouped)
            {
                grouped.ForwardGroup(y, x, batch, member);
            }
            else
            {
                _layers[l].Forward(y, x, batch, null);
            }
            x = y;
        }
        return x;
    }

    /// <summary>One line per layer and the total parameter count.</summary>
    public override string ToString() =>
        $"Sequential({InputFeatures} → {OutputFeatures})  // {ParameterCount:N0} parameters{Environment.NewLine}"
        + string.Join(Environment.NewLine, _layers.Select((layer, i) => $"  ({i}) {layer}"));

    /// <summary>A table of the layers: name, output shape, parameter count, and the total.</summary>
    /// <remarks>
    /// For example:
    /// <code>
    /// Layer            Output shape  Parameters
    /// Dense(4 → 16)    (B, 16)               80
    /// Relu()           (B, 16)                0
    /// Dense(16 → 3)    (B, 3)                51
    /// Total parameters: 131
    /// </code>
    /// </remarks>
    public string Summary()
    {
        var rows = new List<(string Layer, string Shape, string Parameters)> { ("Layer", "Output shape", "Parameters") };
        foreach (ILayer<T> layer in _layers)
        {
            string name = layer.ToString() ?? layer.GetType().Name;
            int comment = name.IndexOf("  //", StringComparison.Ordinal);
            rows.Add((comment >= 0 ? name[..comment] : name, $"(B, {layer.OutputFeatures})",
                layer.ParameterCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
        }
        int layerWidth = rows.Max(r => r.Layer.Length), shapeWidth = rows.Max(r => r.Shape.Length), countWidth = rows.Max(r => r.Parameters.Length);
        var text = new System.Text.StringBuilder();
        foreach (var (layer, shape, parameters) in rows)
        {
            text.Append(layer.PadRight(layerWidth + 2)).Append(shape.PadRight(shapeWidth + 2)).AppendLine(parameters.PadLeft(countWidth));
        }
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Total parameters: {ParameterCount:N0}");
        return text.ToString();
    }

    private void CheckBatch(Workspace<T> workspace, int inputLength, int batch)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Model, this))
        {
            throw new ArgumentException("Expected a workspace created by this model.", nameof(workspace));
        }
        if (batch < 0 || batch > workspace.MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Expected a batch in [0, {workspace.MaxBatch}].");
        }
        if (inputLength < batch * InputFeatures)
        {
            throw new ArgumentException(
                $"Expected at least batch * features = {batch} * {InputFeatures} input values. Received: {inputLength}.");
        }
    }
}
