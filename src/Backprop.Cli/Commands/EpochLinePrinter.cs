using System.Globalization;
using System.Numerics;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>
/// Prints the notebook's line after every epoch: <c>Epoch 0 Loss: 1.0496839349693763</c>, followed by
/// <c> Validation Loss: …</c> when the run has validation data.
/// </summary>
internal sealed class EpochLinePrinter<T>(TextWriter output) : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        string line = $"Epoch {record.Epoch} Loss: {record.Loss.ToString(CultureInfo.InvariantCulture)}";
        if (record.ValidationLoss is { } validation)
        {
            line += $" Validation Loss: {validation.ToString(CultureInfo.InvariantCulture)}";
        }
        output.WriteLine(line);
    }
}
