using Backprop.Estimators;

namespace Backprop.Cli.Commands;

/// <summary>A parsed <c>train</c> command line: how its flags change the options a run starts from, and how to show the run.</summary>
/// <param name="Apply">Applies the flags written on the command line to the options the run starts from (the notebook's, or the resumed file's).</param>
/// <param name="FlagOf">Names an option of <see cref="TabularTrainingOptions"/> by its flag, for messages.</param>
/// <param name="Resume">The model file to continue (<c>--resume</c>), or <see langword="null"/>.</param>
/// <param name="Precision"><c>f32</c> or <c>f64</c> when given; <see langword="null"/> for the resumed file's, or f32.</param>
/// <param name="Quiet">Print only the final result.</param>
/// <param name="Json">Print one JSON object and nothing else.</param>
/// <param name="Plot">Draw the training curves to this file, or <see langword="null"/>.</param>
/// <param name="Interactive">Stdout is a terminal: a live progress bar for long runs.</param>
/// <param name="Threads">The threads the kernels may use (<c>--threads</c>), or <see langword="null"/> for every processor.</param>
/// <param name="Interrupt">Acts as Ctrl+C does.</param>
/// <param name="Report">Write an HTML report of the run to this file, or <see langword="null"/>.</param>
/// <param name="Distributed"><c>mpi</c> to train data-parallel over the ranks of an MPI job (<c>--distributed</c>); <see langword="null"/> for one process.</param>
/// <param name="Collective">The ranks of the job once joined (set by <see cref="TrainRunner"/>), or <see langword="null"/>.</param>
/// <param name="Recipe"><c>tabular</c>, <c>quick</c> or <c>plain</c> when given (<c>--recipe</c>); <see langword="null"/> for <see cref="DataRecipe"/> with a CSV file, plain (the notebook) otherwise.</param>
internal sealed record TrainRequest(
    Func<TabularTrainingOptions, TabularTrainingOptions> Apply,
    Func<string, string> FlagOf,
    string? Resume,
    string? Precision,
    bool Quiet,
    bool Json,
    string? Plot,
    bool Interactive,
    int? Threads = null,
    CancellationToken Interrupt = default,
    string? Recipe = null,
    string? Report = null,
    string? Distributed = null,
    Training.ICollective? Collective = null)
{
    /// <summary>The options a fresh run trains with: the recipe's, changed by the flags.</summary>
    /// <remarks>
    /// Without <c>--recipe</c>, a CSV file gets <see cref="DataRecipe"/> (the best measured, docs/accuracy.md) and an embedded data
    /// set the notebook, so that <c>backprop train</c> reproduces the notebook exactly.
    /// </remarks>
    public TabularTrainingOptions Fresh()
    {
        TabularTrainingOptions notebook = Apply(TabularTrainingOptions.Notebook);
        string recipe = RecipeFor(notebook);
        // A recipe names no data: the notebook's embedded data set unless the flags say otherwise.
        string dataset = TabularTrainingOptions.Notebook.Dataset!;
        return recipe switch
        {
            "tabular" => Apply(TabularTrainingOptions.Tabular with { Dataset = dataset }),
            "quick" => Apply(new TabularTrainingOptions { Dataset = dataset }),
            // The notebook's initialization is for the notebook's data: a file gets the plain settings with the automatic one.
            _ => notebook.Data is null ? notebook : Apply(TabularTrainingOptions.Plain),
        };
    }

    /// <summary>The recipe a fresh run starts from: <c>--recipe</c>, else <see cref="DataRecipe"/> for a CSV file and plain otherwise.</summary>
    public string RecipeFor(TabularTrainingOptions options) => Recipe ?? (options.Data is not null ? DataRecipe : "plain");

    /// <summary>The recipe a CSV file trains with when <c>--recipe</c> is not given.</summary>
    public const string DataRecipe = "quick";
}
