using System.Globalization;
using Backprop.Training;

namespace Backprop.Cli.Rendering;

/// <summary>The notebook's epoch line, <c>Epoch 0 Loss: 1.0496839349693763</c>, with <c> Validation Loss: …</c> when there is validation data.</summary>
internal static class EpochLine
{
    public static string Format(EpochRecord record)
    {
        string line = $"Epoch {record.Epoch} Loss: {record.Loss.ToString(CultureInfo.InvariantCulture)}";
        return record.ValidationLoss is { } validation ? $"{line} Validation Loss: {validation.ToString(CultureInfo.InvariantCulture)}" : line;
    }
}
