using System.Text.Json.Serialization;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;

namespace Backprop.Estimators;

/// <summary>
/// Compile-time generated JSON of the training entries of a model file (<see cref="TabularTrainingOptions"/>, history, state):
/// no reflection, so the library stays trimmable and AOT-compatible. Keys are snake_case, choices spelled as <see cref="OptionNames"/>
/// says, schedules in their text form; every option is written, defaults included, so a file says exactly how it was trained.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [
        typeof(OptionNameJsonConverter<Activation>), typeof(OptionNameJsonConverter<Initialization>), typeof(OptionNameJsonConverter<OptimizerKind>),
        typeof(OptionNameJsonConverter<LossKind>), typeof(OptionNameJsonConverter<TaskKind>), typeof(OptionNameJsonConverter<MissingValueStrategy>),
        typeof(OptionNameJsonConverter<NumericScaling>), typeof(OptionNameJsonConverter<Parametrization>), typeof(OptionNameJsonConverter<DateOrder>),
        typeof(ScheduleJsonConverter)])]
[JsonSerializable(typeof(TabularTrainingOptions))]
[JsonSerializable(typeof(TrainingHistoryEntry))]
[JsonSerializable(typeof(TrainingStateEntry))]
internal sealed partial class TrainingJsonContext : JsonSerializerContext;
