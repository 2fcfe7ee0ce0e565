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
        TEnum[] values = Table<TEnum>.Values;
        for (int i = 0; i < values.Length; i++)
        {
            if (EqualityComparer<TEnum>.Default.Equals(values[i], value)) return Table<TEnum>.Names[i];
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, $"Expected a defined {typeof(TEnum).Name}.");
    }

    /// <summary>Every name of <typeparamref name="TEnum"/>'s choices, in declaration order.</summary>
    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum => Table<TEnum>.Names;

    /// <summary>Reads a name (ignoring case); older spellings that model files hold are accepted too.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        string[][] spellings = Table<TEnum>.Spellings;
        for (int i = 0; i < spellings.Length; i++)
        {
            foreach (string spelling in spellings[i])
            {
                if (string.Equals(spelling, text, StringComparison.OrdinalIgnoreCase))
                {
                    value = Table<TEnum>.Values[i];
                    return true;
                }
            }
        }
        value = default;
        return false;
    }

    // The first spelling of each choice is its name; the others are read only (file entries written by earlier versions).
    // Plain arrays and loops: these tables are built when the command line starts, where every generic LINQ instantiation
    // over a value type would be compiled by the JIT first.
    private static class Table<TEnum> where TEnum : struct, Enum
    {
        public static readonly TEnum[] Values;
        public static readonly string[][] Spellings;
        public static readonly string[] Names;

        static Table()
        {
            (Values, Spellings) = ((TEnum[], string[][]))Create();
            Names = new string[Spellings.Length];
            for (int i = 0; i < Names.Length; i++) Names[i] = Spellings[i][0];
        }

        private static object Create()
        {
            Type type = typeof(TEnum);
            if (type == typeof(Activation))
            {
                return (new[] { Activation.Relu, Activation.LeakyRelu, Activation.Tanh, Activation.Sigmoid, Activation.Gelu, Activation.Selu, Activation.Mish },
                    new[] { ["relu"], ["leaky-relu", "leakyrelu"], ["tanh"], ["sigmoid"], ["gelu"], ["selu"], new[] { "mish" } });
            }
            if (type == typeof(Initialization))
            {
                return (new[] { Initialization.PyTorch, Initialization.Normal, Initialization.XavierUniform, Initialization.HeNormal, Initialization.Ntk, Initialization.Zeros },
                    new[] { ["pytorch"], ["normal"], ["xavier", "xavieruniform"], ["he", "henormal"], ["ntk"], new[] { "zeros" } });
            }
            if (type == typeof(OptimizerKind))
            {
                return (new[] { OptimizerKind.Sgd, OptimizerKind.Adam, OptimizerKind.AdamW }, new[] { ["sgd"], ["adam"], new[] { "adamw" } });
            }
            if (type == typeof(LossKind))
            {
                return (new[] { LossKind.CrossEntropy, LossKind.BinaryCrossEntropy, LossKind.MeanSquaredError, LossKind.Huber },
                    new[] { ["cross-entropy"], ["bce"], ["mse"], new[] { "huber" } });
            }
            if (type == typeof(TaskKind))
            {
                return (new[] { TaskKind.Classification, TaskKind.Regression }, new[] { ["classification"], new[] { "regression" } });
            }
            if (type == typeof(MissingValueStrategy))
            {
                return (new[] { MissingValueStrategy.Mean, MissingValueStrategy.Median, MissingValueStrategy.Error },
                    new[] { ["mean"], ["median"], new[] { "error" } });
            }
            if (type == typeof(NumericScaling))
            {
                return (new[] { NumericScaling.Standard, NumericScaling.Robust }, new[] { ["standard"], new[] { "robust" } });
            }
            if (type == typeof(Parametrization))
            {
                return (new[] { Parametrization.Standard, Parametrization.Ntk }, new[] { ["standard"], new[] { "ntk" } });
            }
            if (type == typeof(InputEmbedding))
            {
                return (new[] { InputEmbedding.None, InputEmbedding.Periodic }, new[] { ["none"], new[] { "periodic" } });
            }
            if (type == typeof(DateOrder))
            {
                return (new[] { DateOrder.DayFirst, DateOrder.MonthFirst }, new[] { ["day-first"], new[] { "month-first" } });
            }
            throw new NotSupportedException($"{type.Name} is not a choice of {nameof(TabularTrainingOptions)}.");
        }
    }
}
