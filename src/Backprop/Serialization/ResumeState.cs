using System.Globalization;
using System.Numerics;
using Backprop.Optimizers;
using Backprop.Tensors;

namespace Backprop.Serialization;

/// <summary>Stores and restores what exact resumption needs beside the weights: the optimizer's state and step count, and the generator state.</summary>
/// <remarks>
/// Entries: tensor <c>optimizer.state</c> of shape <c>(slots, N)</c> (absent before the first step or for a stateless optimizer),
/// metadata <c>optimizer.type</c>, <c>optimizer.step_count</c> and <c>rng.state</c> (four 64-bit words in hexadecimal). With all of
/// them restored, and the learning rate set as the run's options and schedule say, training continues exactly as if uninterrupted.
/// The learning rate is not part of this state: it is an option of the run (its base rate and schedule), stored once, so that a
/// resumed run given another rate trains with it.
/// </remarks>
public static class ResumeState
{
    /// <summary>Name of the optimizer state tensor.</summary>
    public const string OptimizerStateTensor = "optimizer.state";

    /// <summary>Adds <paramref name="optimizer"/>'s state and step count to <paramref name="extras"/>.</summary>
    public static void AddOptimizer<T>(ModelFileExtras extras, Optimizer<T> optimizer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(extras);
        ArgumentNullException.ThrowIfNull(optimizer);
        extras.Metadata["optimizer.type"] = TypeName(optimizer);
        extras.Metadata["optimizer.step_count"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
        if (optimizer.State.Length > 0)
        {
            int slots = optimizer.StateSlots;
            extras.Tensors.Add(SafeTensor.Create<T>(OptimizerStateTensor, optimizer.State, slots, optimizer.State.Length / slots));
        }
    }

    /// <summary>Adds the generator's state to <paramref name="extras"/>.</summary>
    public static void AddRng(ModelFileExtras extras, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(extras);
        ArgumentNullException.ThrowIfNull(rng);
        ulong[] state = rng.GetState();
        var words = new string[state.Length];
        for (int i = 0; i < words.Length; i++) words[i] = state[i].ToString("x16", CultureInfo.InvariantCulture); // no LINQ over ulong: compiled at first use
        extras.Metadata["rng.state"] = string.Join(' ', words);
    }

    /// <summary>Restores into <paramref name="optimizer"/> (of the same kind, for the same model) the state saved by <see cref="AddOptimizer{T}"/>.</summary>
    /// <remarks>The learning rate is left as it is: set it (or let a <see cref="Training.LearningRateScheduler{T}"/> set it) from the run's options.</remarks>
    /// <exception cref="BackpropException">The file has no optimizer state, another optimizer's, or one that does not fit the model.</exception>
    public static void RestoreOptimizer<T>(SavedModel<T> saved, Optimizer<T> optimizer, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(optimizer);
        IReadOnlyDictionary<string, string> metadata = saved.Metadata;
        if (!metadata.TryGetValue("optimizer.type", out string? type))
        {
            throw new BackpropException($"Cannot resume from '{source}': it holds no optimizer state (saved without it).");
        }
        if (type != TypeName(optimizer))
        {
            throw new BackpropException($"Cannot resume from '{source}': it holds {type} state; this run uses {TypeName(optimizer)}.");
        }
        if (!long.TryParse(metadata.GetValueOrDefault("optimizer.step_count"), NumberStyles.None, CultureInfo.InvariantCulture, out long steps))
        {
            throw new BackpropException($"Invalid model file '{source}': metadata optimizer.step_count is '{metadata.GetValueOrDefault("optimizer.step_count")}'; expected a whole number ≥ 0.");
        }
        SafeTensor? state = saved.FindTensor(OptimizerStateTensor);
        T[] values = [];
        if (state is not null)
        {
            int parameters = saved.Model.ParameterCount;
            if (state.Shape.Count != 2 || state.Shape[0] != optimizer.StateSlots || state.Shape[1] != parameters)
            {
                throw new BackpropException($"Invalid model file '{source}': tensor {OptimizerStateTensor} has shape [{string.Join(", ", state.Shape)}]; expected [{optimizer.StateSlots}, {parameters}].");
            }
            values = state.ToArray<T>();
        }
        optimizer.State = values;
        optimizer.StepCount = steps;
    }

    /// <summary>Restores into <paramref name="rng"/> the state saved by <see cref="AddRng"/>.</summary>
    /// <exception cref="BackpropException">The file has no generator state or a malformed one.</exception>
    public static void RestoreRng<T>(SavedModel<T> saved, Rng rng, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(rng);
        if (!saved.Metadata.TryGetValue("rng.state", out string? text))
        {
            throw new BackpropException($"Cannot resume from '{source}': it holds no generator state.");
        }
        string[] words = text.Split(' ');
        var state = new ulong[4];
        bool valid = words.Length == 4;
        for (int i = 0; valid && i < 4; i++)
        {
            valid = ulong.TryParse(words[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out state[i]);
        }
        if (!valid || state.All(word => word == 0))
        {
            throw new BackpropException($"Invalid model file '{source}': metadata rng.state is '{text}'; expected four hexadecimal words, not all zero.");
        }
        rng.SetState(state);
    }

    private static string TypeName<T>(Optimizer<T> optimizer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = optimizer.GetType().Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }
}
