using System.Numerics;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Cli.Commands;

/// <summary>A training data set and the preprocessing fitted to make it (to save with the model, for <c>predict</c>).</summary>
internal sealed record PreparedData<T>(Dataset<T> Dataset, TabularPreprocessor Preprocessor) where T : unmanaged, IFloatingPointIeee754<T>;
