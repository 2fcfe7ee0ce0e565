namespace Backprop.Estimators;

/// <summary>Settings of <see cref="MlpRegressor{T}"/>: the shared <see cref="MlpOptions"/> plus the loss.</summary>
public sealed record MlpRegressorOptions : MlpOptions
{
    /// <summary>
    /// Huber's δ, in units of standardized target, to use the Huber loss instead of mean squared error; null (default) for MSE.
    /// </summary>
    public double? HuberDelta { get; init; }
}
