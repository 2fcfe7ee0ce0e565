namespace Backprop;

/// <summary>
/// A problem with what the user gave Backprop (a data file, a model file, an option), as opposed to a bug.
/// The message is one line that says what was expected, what was received and where.
/// </summary>
/// <remarks>The CLI prints it as one line on stderr and exits with code 1, never with a stack trace.</remarks>
public class BackpropException : Exception
{
    /// <summary>Creates the exception with a one-line <paramref name="message"/>.</summary>
    public BackpropException(string message) : base(message) { }

    /// <summary>Creates the exception with a one-line <paramref name="message"/> and the exception that caused it.</summary>
    public BackpropException(string message, Exception innerException) : base(message, innerException) { }
}
