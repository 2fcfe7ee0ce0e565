using System.Numerics;
using Backprop.Training;

namespace Backprop.Layers;

/// <summary>Builds multilayer perceptrons: <c>[FeatureScale(F) →] [PeriodicEmbedding(F) →] Dense(F → h₁) → activation [→ Dropout] → … → Dense(hₖ → O)</c>.</summary>
/// <remarks>
/// An ensemble of <c>M</c> such networks trains as one: the first dense layer is all the members' first layers side by side,
/// <c>Dense(F → M·h₁)</c> (each member's units see every input), and every later one is a <see cref="GroupedDense{T}"/>
/// (member <c>m</c>'s units see only member <c>m</c>'s), so the output <c>(B, M·O)</c> is the members' outputs side by side.
/// The members share the feature scale and the batches; they differ by their initial weights.
/// </remarks>
public static class Mlp
{
    /// <summary>Builds the network (parameters zero until <see cref="Sequential{T}.ResetParameters"/>).</summary>
    /// <param name="inputs">Input features <c>F</c>.</param>
    /// <param name="hidden">Hidden widths <c>h₁ … hₖ</c>; empty for a linear model.</param>
    /// <param name="outputs">Outputs <c>O</c> (classes, or target columns).</param>
    /// <param name="activation">Activation after each hidden layer.</param>
    /// <param name="initialization">How every dense layer draws its weights.</param>
    /// <param name="dropout">Drop probability of a <see cref="Dropout{T}"/> after each hidden activation; 0 for none.</param>
    /// <param name="featureScale">Start with a learnable scale per input (<see cref="FeatureScale{T}"/>).</param>
    /// <param name="zeroOutput">Start the output layer at zero (<see cref="Initialization.Zeros"/>) rather than drawing it.</param>
    /// <param name="members">Networks <c>M</c> trained side by side; the output has <c>M·O</c> columns.</param>
    /// <param name="embedding">How each input enters the first dense layer: as it is, or beside a <see cref="PeriodicEmbedding{T}"/> of it.</param>
    // Once a model: compiled without optimization (its loop would send it to the optimizing JIT; docs/performance.md, "Start-up").
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)]
    public static Sequential<T> Create<T>(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation = Activation.Relu,
        Initialization initialization = Initialization.PyTorch, double dropout = 0, bool featureScale = false, bool zeroOutput = false,
        int members = 1, InputEmbedding embedding = InputEmbedding.None)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(members);
        var layers = new List<ILayer<T>>();
        if (featureScale)
        {
            layers.Add(new FeatureScale<T>(inputs));
        }
        int width = inputs;
        if (embedding == InputEmbedding.Periodic)
        {
            var periodic = new PeriodicEmbedding<T>(inputs);
            layers.Add(periodic);
            width = periodic.OutputFeatures;
        }
        bool grouped = false; // whether the input is already the members' units side by side
        ILayer<T> Linear(int from, int to, Initialization drawn) =>
            members == 1 ? new Dense<T>(from, to, drawn)
            : grouped ? new GroupedDense<T>(members, from, to, drawn)
            : new Dense<T>(from, members * to, drawn);
        foreach (int h in hidden)
        {
            layers.Add(Linear(width, h, initialization));
            grouped = true;
            layers.Add(CreateActivation<T>(activation));
            if (dropout > 0)
            {
                layers.Add(new Dropout<T>(dropout));
            }
            width = h;
        }
        layers.Add(Linear(width, outputs, zeroOutput ? Initialization.Zeros : initialization));
        return new Sequential<T>(inputs, [.. layers]);
    }

    /// <summary>A fresh layer for <paramref name="activation"/>.</summary>
    public static ILayer<T> CreateActivation<T>(Activation activation) where T : unmanaged, IFloatingPointIeee754<T> => activation switch
    {
        Activation.Relu => new Relu<T>(),
        Activation.LeakyRelu => new LeakyRelu<T>(),
        Activation.Tanh => new Tanh<T>(),
        Activation.Sigmoid => new Sigmoid<T>(),
        Activation.Gelu => new Gelu<T>(),
        Activation.Selu => new Selu<T>(),
        Activation.Mish => new Mish<T>(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Expected a defined activation."),
    };
}
