using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;

namespace Backprop.Estimators;

/// <summary>
/// The one spelling of every choice a <see cref="TabularTrainingOptions"/> takes: what the model file stores, what messages
/// show, and what the command line accepts (<c>relu</c>, <c>leaky-relu</c>, <c>adamw</c>, <c>cross-entropy</c>, <c>bce</c>, …).
/// </summary>
public static class OptionNames
{
    /// <summary>The name of <paramref name="value"/>, for example <c>leaky-relu</c> for <see cref="Activation.LeakyRelu"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined choice.</exception>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        foreach ((TEnum choice, string[] names) in Table<TEnum>.Entries)
        {
            if (EqualityComparer<TEnum>.Default.Equals(choice, value)) return names[0];
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"Expected a defined {typeof(TEnum).Name}.");
    }

    /// <summary>Every name of <typeparamref name="TEnum"/>'s choices, in declaration order.</summary>
    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum => Table<TEnum>.Names;

    /// <summary>Reads a name (ignoring case); older spellings that model files hold are accepted too.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        foreach ((TEnum choice, string[] names) in Table<TEnum>.Entries)
        {
            if (Array.Exists(names, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase)))
            {
                value = choice;
                return true;
            }
        }
        value = default;
        return false;
    }

    // The first name of each choice is its spelling; the others are read only (file entries written by earlier versions).
    private static class Table<TEnum> where TEnum : struct, Enum
    {
        public static readonly (TEnum Value, string[] Names)[] Entries = (Create() as (TEnum, string[])[])!;

        public static readonly string[] Names = Entries.Select(e => e.Names[0]).ToArray();

        private static object Create()
        {
            Type type = typeof(TEnum);
            if (type == typeof(Activation))
            {
                return new (Activation, string[])[]
                {
                    (Activation.Relu, ["relu"]), (Activation.LeakyRelu, ["leaky-relu", "leakyrelu"]), (Activation.Tanh, ["tanh"]),
                    (Activation.Sigmoid, ["sigmoid"]), (Activation.Gelu, ["gelu"]),
                };
            }
            if (type == typeof(Initialization))
            {
                return new (Initialization, string[])[]
                {
                    (Initialization.PyTorch, ["pytorch"]), (Initialization.Normal, ["normal"]),
                    (Initialization.XavierUniform, ["xavier", "xavieruniform"]), (Initialization.HeNormal, ["he", "henormal"]),
                };
            }
            if (type == typeof(OptimizerKind))
            {
                return new (OptimizerKind, string[])[] { (OptimizerKind.Sgd, ["sgd"]), (OptimizerKind.Adam, ["adam"]), (OptimizerKind.AdamW, ["adamw"]) };
            }
            if (type == typeof(LossKind))
            {
                return new (LossKind, string[])[]
                {
                    (LossKind.CrossEntropy, ["cross-entropy"]), (LossKind.BinaryCrossEntropy, ["bce"]),
                    (LossKind.MeanSquaredError, ["mse"]), (LossKind.Huber, ["huber"]),
                };
            }
            if (type == typeof(TaskKind))
            {
                return new (TaskKind, string[])[] { (TaskKind.Classification, ["classification"]), (TaskKind.Regression, ["regression"]) };
            }
            if (type == typeof(MissingValueStrategy))
            {
                return new (MissingValueStrategy, string[])[]
                {
                    (MissingValueStrategy.Mean, ["mean"]), (MissingValueStrategy.Median, ["median"]), (MissingValueStrategy.Error, ["error"]),
                };
            }
            throw new NotSupportedException($"{type.Name} is not a choice of {nameof(TabularTrainingOptions)}.");
        }
    }
}
