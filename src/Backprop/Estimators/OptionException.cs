namespace Backprop.Estimators;

/// <summary>An option of a <see cref="TabularTrainingOptions"/> has a value that cannot work, alone, with another option, or with the data.</summary>
/// <remarks>
/// The message is <c>{Option}: expected {Expected}. Received: {Received}.</c>, for example
/// <c>LearningRate: expected a positive number. Received: 0.</c>. Other options named in <see cref="Expected"/> are written
/// <c>{Name}</c>, so that a front end can show them as it names them: <see cref="Format"/> does that (the command line shows
/// <c>--lr: expected a positive number. Received: 0.</c>).
/// </remarks>
public sealed class OptionException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="option"/> (a property name of <see cref="TabularTrainingOptions"/>).</summary>
    public OptionException(string option, string expected, string received)
        : base(Compose(option, expected, received, name => name), option)
    {
        Option = option;
        Expected = expected;
        Received = received;
    }

    /// <summary>The option whose value is wrong: a property name of <see cref="TabularTrainingOptions"/>, such as <c>LearningRate</c>.</summary>
    public string Option { get; }

    /// <summary>What would work, with any other option written as <c>{Name}</c> (and a brace that is text doubled).</summary>
    public string Expected { get; }

    /// <summary>The value received, as text.</summary>
    public string Received { get; }

    /// <summary>The message with every option named by <paramref name="name"/> (for example a command-line flag for each property).</summary>
    public string Format(Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Compose(Option, Expected, Received, name);
    }

    /// <inheritdoc/>
    public override string Message => Compose(Option, Expected, Received, option => option);

    private static string Compose(string option, string expected, string received, Func<string, string> name) =>
        $"{name(option)}: expected {OptionPlaceholders.Fill(expected, name)}. Received: {received}.";
}
