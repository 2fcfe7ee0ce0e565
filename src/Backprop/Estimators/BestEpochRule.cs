using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>The rule for the best epoch of a run, the one early stopping applies: the lowest monitored loss, by more than the minimum improvement.</summary>
/// <remarks>Not generic, so that a run that keeps no snapshot compiles nothing for it at start-up (a ReadyToRun image holds it).</remarks>
internal static class BestEpochRule
{
    /// <summary>The loss an epoch is judged by: its validation loss, else its training loss.</summary>
    public static double Monitored(EpochRecord record) => record.ValidationLoss ?? record.Loss;

    /// <summary>Whether <paramref name="loss"/> improves on <paramref name="best"/>; a NaN loss never does, any other does when there is no best yet.</summary>
    public static bool Improves(double loss, double? best, double minDelta) =>
        !double.IsNaN(loss) && (best is not double b || loss < b - minDelta);

    /// <summary>The best epoch and loss after <paramref name="records"/>, starting from <paramref name="epoch"/> and <paramref name="loss"/>.</summary>
    public static (int Epoch, double? Loss) After(int epoch, double? loss, IEnumerable<EpochRecord> records, double minDelta)
    {
        foreach (EpochRecord record in records)
        {
            double monitored = Monitored(record);
            if (Improves(monitored, loss, minDelta)) (epoch, loss) = (record.Epoch, monitored);
        }
        return (epoch, loss);
    }
}
