using System.Numerics;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Cli.Commands;

/// <summary>Training (and validation) data sets and the preprocessing fitted on the training rows (to save with the model).</summary>
internal sealed record PreparedData<T>(Dataset<T> Training, Dataset<T>? Validation, TabularPreprocessor Preprocessor)
    where T : unmanaged, IFloatingPointIeee754<T>;
