namespace Backprop.Optimizers;

/// <summary>Range checks shared by the optimizer options, with messages that name the option and the value received.</summary>
internal static class OptimizerChecks
{
    public static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} to be a finite number > 0. Received: {value}.");
        }
    }

    public static void InRange(double value, double low, double high, bool inclusiveHigh, string name)
    {
        bool ok = value >= low && (inclusiveHigh ? value <= high : value < high) && double.IsFinite(value);
        if (!ok)
        {
            string upper = inclusiveHigh ? "]" : ")";
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} in [{low}, {high}{upper}. Received: {value}.");
        }
    }
}
