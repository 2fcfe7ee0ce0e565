namespace Backprop.Optimizers;

/// <summary>Range checks shared by the learning-rate schedules.</summary>
internal static class ScheduleChecks
{
    public static void Factor(double value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} in (0, 1]. Received: {value}.");
        }
    }
}
