using System.Numerics;
using Backprop.Training;

namespace Backprop.Cli.Rendering;

/// <summary>Prints the notebook's line after every epoch (see <see cref="EpochLine"/>): the plain output, for redirected runs.</summary>
internal sealed class EpochLinePrinter<T>(TextWriter output) : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record) => output.WriteLine(EpochLine.Format(record));
}
