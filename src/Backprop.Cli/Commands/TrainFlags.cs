using System.CommandLine;
using System.CommandLine.Parsing;
using Backprop.Estimators;

namespace Backprop.Cli.Commands;

/// <summary>
/// The flags of <c>train</c> that set an option of <see cref="TabularTrainingOptions"/>, each with the option it sets: the one
/// map from the command line to the library's options, used both ways (flags onto options, option names back to flags).
/// </summary>
/// <remarks>
/// Only flags written on the command line are applied, onto the options a run starts from: the notebook's for a fresh run, the
/// file's for <c>--resume</c>. So "what the command line does not say, the file does" is one rule, not a list of exceptions.
/// </remarks>
internal sealed class TrainFlags(Command command)
{
    private readonly List<(Option Option, string Property, Func<TabularTrainingOptions, ParseResult, TabularTrainingOptions> Apply)> _flags = [];
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    /// <summary>Every flag, in the order they were added.</summary>
    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>Adds <paramref name="option"/> to the command; it sets <paramref name="property"/> of the options with <paramref name="apply"/>.</summary>
    public Option<TValue> Add<TValue>(Option<TValue> option, string property, Func<TabularTrainingOptions, TValue, TabularTrainingOptions> apply)
    {
        _flags.Add((option, property, (options, parse) => apply(options, parse.GetValue(option)!)));
        command.Options.Add(option);
        return option;
    }

    /// <summary>Names <paramref name="flag"/> for a property that no flag sets on its own (for example <c>BalancedClassWeights</c> → <c>--class-weight</c>).</summary>
    public void Alias(string property, string flag) => _aliases[property] = flag;

    /// <summary><paramref name="options"/> with every flag written on the command line applied, in order.</summary>
    public TabularTrainingOptions ApplyTo(TabularTrainingOptions options, ParseResult parse)
    {
        foreach ((Option option, _, var apply) in _flags)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                options = apply(options, parse);
            }
        }
        return options;
    }

    /// <summary>The flag that sets <paramref name="property"/>, for messages: <c>LearningRate</c> → <c>--lr</c>.</summary>
    public string FlagOf(string property)
    {
        if (_aliases.TryGetValue(property, out string? alias)) return alias;
        // A loop, not FirstOrDefault: LINQ over a value tuple is compiled at first use in every run (docs/performance.md, "Start-up").
        foreach ((Option option, string flagged, _) in _flags)
        {
            if (flagged == property) return option.Name;
        }
        return property;
    }
}
