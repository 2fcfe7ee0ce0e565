using System.Globalization;
using System.Numerics;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>Prints the notebook's line after every epoch: <c>Epoch 0 Loss: 1.0496839349693763</c>.</summary>
internal sealed class EpochLinePrinter<T>(TextWriter output) : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record) =>
        output.WriteLine($"Epoch {record.Epoch} Loss: {record.Loss.ToString(CultureInfo.InvariantCulture)}");
}
