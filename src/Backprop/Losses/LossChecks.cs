namespace Backprop.Losses;

/// <summary>Argument checks shared by the losses.</summary>
internal static class LossChecks
{
    /// <summary>Throws unless <paramref name="doutputLength"/> can hold the gradient of <paramref name="outputLength"/> outputs.</summary>
    public static void GradientBuffer(int doutputLength, int outputLength)
    {
        if (doutputLength < outputLength)
        {
            throw new ArgumentException($"Expected doutput of at least {outputLength} values. Received: {doutputLength}.", "doutput");
        }
    }
}
