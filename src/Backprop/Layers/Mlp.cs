using System.Numerics;
using Backprop.Training;

namespace Backprop.Layers;

/// <summary>Builds multilayer perceptrons: <c>Dense(F → h₁) → activation [→ Dropout] → … → Dense(hₖ → O)</c>.</summary>
public static class Mlp
{
    /// <summary>Builds the network (parameters zero until <see cref="Sequential{T}.ResetParameters"/>).</summary>
    /// <param name="inputs">Input features <c>F</c>.</param>
    /// <param name="hidden">Hidden widths <c>h₁ … hₖ</c>; empty for a linear model.</param>
    /// <param name="outputs">Outputs <c>O</c> (classes, or target columns).</param>
    /// <param name="activation">Activation after each hidden layer.</param>
    /// <param name="initialization">How every dense layer draws its weights.</param>
    /// <param name="dropout">Drop probability of a <see cref="Dropout{T}"/> after each hidden activation; 0 for none.</param>
    public static Sequential<T> Create<T>(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation = Activation.Relu,
        Initialization initialization = Initialization.PyTorch, double dropout = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var layers = new List<ILayer<T>>();
        int width = inputs;
        foreach (int h in hidden)
        {
            layers.Add(new Dense<T>(width, h, initialization));
            layers.Add(CreateActivation<T>(activation));
            if (dropout > 0)
            {
                layers.Add(new Dropout<T>(dropout));
            }
            width = h;
        }
        layers.Add(new Dense<T>(width, outputs, initialization));
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
