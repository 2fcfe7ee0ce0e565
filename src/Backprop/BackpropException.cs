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

    private BackpropException(string template, bool _) : base(OptionPlaceholders.Plain(template)) => Template = template;

    /// <summary>
    /// The message with the options it suggests written <c>{Name}</c> (a property of the options record), or
    /// <see langword="null"/> when it suggests none; <see cref="Format"/> names them.
    /// </summary>
    public string? Template { get; }

    /// <summary>
    /// The exception for a problem whose fix is an option: the <paramref name="template"/> names it <c>{Name}</c>, so that the
    /// message names it by its property (<c>Categorical</c>) and a front end by its own name for it (<c>--categorical</c>).
    /// </summary>
    /// <param name="template">The message, options as <c>{Name}</c> and text braces doubled (<see cref="OptionPlaceholders.Escape"/>).</param>
    internal static BackpropException SuggestingOptions(string template) => new(template, true);

    /// <summary>The message with every option it suggests named by <paramref name="name"/> (for example a command-line flag for each property).</summary>
    public string Format(Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Template is null ? Message : OptionPlaceholders.Fill(Template, name);
    }
}
