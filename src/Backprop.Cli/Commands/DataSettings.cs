using Backprop.Preprocessing;

namespace Backprop.Cli.Commands;

/// <summary>The data options of <c>train</c> (<c>--data</c> and its companions), parsed and validated.</summary>
/// <param name="Path">The CSV file.</param>
/// <param name="Target">The target column; <see langword="null"/> for the last column.</param>
/// <param name="Features">The feature columns; empty for every column but the target.</param>
/// <param name="Drop">Columns not to use.</param>
/// <param name="Categorical">Numeric columns to one-hot encode.</param>
/// <param name="Missing">What to do with missing cells.</param>
/// <param name="Delimiter">The field delimiter; <see langword="null"/> to detect it.</param>
/// <param name="Notes">Where notes and warnings about the data go (stderr), kept apart from the epoch lines.</param>
internal sealed record DataSettings(
    string Path,
    string? Target,
    string[] Features,
    string[] Drop,
    string[] Categorical,
    MissingValueStrategy Missing,
    char? Delimiter,
    TextWriter Notes)
{
    /// <summary>The preprocessing options these settings ask for.</summary>
    public TabularOptions ToTabularOptions() =>
        new(Target, Features.Length > 0 ? Features : null, Drop, Categorical, Missing);
}
