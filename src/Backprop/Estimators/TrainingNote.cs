namespace Backprop.Estimators;

/// <summary>Something a <see cref="TabularTrainer{T}"/> decided or noticed that its user should know, told before training starts.</summary>
/// <param name="IsWarning">A warning (for example categories the training rows did not have) rather than a note (a dropped column, an imputation).</param>
/// <param name="Template">
/// The line with any option that changes the decision written <c>{Name}</c> (a property of <see cref="TabularTrainingOptions"/>)
/// and braces that are text doubled, such as <c>dropped column 'OBS': it numbers the rows (1 to 32 in file order); to use it as
/// a feature: {Keep}</c>. Read <see cref="Text"/>, or <see cref="Format"/> to name the options as a front end does.
/// </param>
public sealed record TrainingNote(bool IsWarning, string Template)
{
    /// <summary>The line, each option named by its property: <c>… to use it as a feature: Keep</c>.</summary>
    public string Text => OptionPlaceholders.Plain(Template);

    /// <summary>The line with each option named by <paramref name="name"/> (the command line: <c>… to use it as a feature: --keep</c>).</summary>
    public string Format(Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return OptionPlaceholders.Fill(Template, name);
    }
}
