using System.Numerics;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Cli.Commands;

/// <summary>The data of a <c>train</c> run, encoded: the training part, the held-out part if any, and the preprocessing fitted on the training part.</summary>
internal sealed record PreparedData<T>(Dataset<T> Train, Dataset<T>? Validation, TabularPreprocessor Preprocessor)
    where T : unmanaged, IFloatingPointIeee754<T>;
