namespace Backprop.Preprocessing;

/// <summary>What the target column holds.</summary>
public enum TaskKind
{
    /// <summary>Class labels: the target becomes a class index <c>0 .. C−1</c>.</summary>
    Classification,

    /// <summary>Numbers to predict: the target is kept as its value.</summary>
    Regression,
}
