using System.Text.Json;

namespace Backprop.Tests.Cli;

/// <summary>Which recipe a run starts from: the notebook without data, the quick recipe for a CSV file, the others by <c>--recipe</c>.</summary>
public sealed class RecipeCliTests
{
    private static readonly string Wine = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "wine.csv");

    // The options the run recorded (--json "options": every choice made).
    private static JsonElement Options(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(["train", "--json", .. args]);
        Assert.True(code == 0, error);
        using JsonDocument document = JsonDocument.Parse(output);
        return document.RootElement.GetProperty("options").Clone();
    }

    private static int[] Hidden(JsonElement options) => [.. options.GetProperty("hidden").EnumerateArray().Select(e => e.GetInt32())];

    [Fact]
    public void A_csv_file_gets_the_quick_recipe_and_the_embedded_data_the_notebook()
    {
        JsonElement quick = Options("--data", Wine, "--epochs", "3");
        Assert.Equal([64], Hidden(quick));
        Assert.Equal(8, quick.GetProperty("piecewise_linear_bins").GetInt32());
        Assert.Equal("adam", quick.GetProperty("optimizer").GetString());
        Assert.Equal(5, quick.GetProperty("early_stopping").GetInt32());
        // A cross-fitted ensemble of 5: no validation split, every row validates out of fold.
        Assert.Equal(0, quick.GetProperty("validation").GetDouble());
        Assert.Equal(5, quick.GetProperty("members").GetInt32());
        Assert.True(quick.GetProperty("cross_fit").GetBoolean());
        // Calibrated out of fold, so its classes train with label smoothing; --calibrate false leaves both off.
        Assert.True(quick.GetProperty("calibrate").GetBoolean());
        Assert.Equal(0.1, quick.GetProperty("label_smoothing").GetDouble());
        JsonElement uncalibrated = Options("--data", Wine, "--epochs", "1", "--calibrate", "false");
        Assert.False(uncalibrated.GetProperty("calibrate").GetBoolean());
        Assert.Equal(0, uncalibrated.GetProperty("label_smoothing").GetDouble());
        // A split asked for replaces cross-fitting; both asked for is one clear error.
        Assert.False(Options("--data", Wine, "--epochs", "1", "--validation", "0.2").GetProperty("cross_fit").GetBoolean());
        var (code, _, error) = CliRunner.Run("train", "--data", Wine, "--epochs", "1", "--validation", "0.2", "--cross-fit");
        Assert.Equal(2, code);
        Assert.Equal("error: --validation: expected 0 and no --validation-data with --cross-fit (every row validates, held out by one member); --cross-fit false to hold out a split. Received: 0.2.", error.Trim());

        JsonElement notebook = Options("--dataset", "wine", "--epochs", "3");
        Assert.Equal([16], Hidden(notebook));
        Assert.False(notebook.GetProperty("calibrate").GetBoolean());
        Assert.Equal(0, notebook.GetProperty("label_smoothing").GetDouble());
        Assert.Equal("sgd", notebook.GetProperty("optimizer").GetString());
        Assert.Equal(1, notebook.GetProperty("batch_size").GetInt32());
    }

    [Fact]
    public void Standard_normal_weights_are_the_notebooks_alone()
    {
        // The plain recipe on an embedded data set is the notebook, standard-normal weights included; on a file, PyTorch's.
        Assert.Equal("normal", Options("--dataset", "wine", "--epochs", "1").GetProperty("init").GetString());
        Assert.Equal("pytorch", Options("--data", Wine, "--epochs", "1", "--recipe", "plain").GetProperty("init").GetString());
        Assert.Equal("he", Options("--data", Wine, "--epochs", "1", "--recipe", "plain", "--init", "he").GetProperty("init").GetString());
        // The quick recipe on the embedded wine is the quick recipe on wine.csv, the same rows: the same initialization and the same
        // out-of-fold accuracy (standard-normal weights on its 117 inputs gave 0.77 against 0.98).
        var (code, embedded, error) = CliRunner.Run("train", "--json", "--dataset", "wine", "--recipe", "quick");
        Assert.True(code == 0, error);
        (code, string file, error) = CliRunner.Run("train", "--json", "--data", Wine);
        Assert.True(code == 0, error);
        using JsonDocument a = JsonDocument.Parse(embedded), b = JsonDocument.Parse(file);
        Assert.Equal("pytorch", a.RootElement.GetProperty("options").GetProperty("init").GetString());
        double accuracy = a.RootElement.GetProperty("out_of_fold").GetProperty("accuracy").GetDouble();
        Assert.Equal(b.RootElement.GetProperty("out_of_fold").GetProperty("accuracy").GetDouble(), accuracy);
        Assert.True(accuracy > 0.95, $"out-of-fold accuracy {accuracy}");
    }

    [Fact]
    public void Another_optimizer_gets_its_own_learning_rate_unless_one_is_given()
    {
        // The recipe's rate belongs to its optimizer: SGD on a file gets SGD's 0.01, not Adam's 0.001, and Adam on the notebook 0.001.
        Assert.Equal(0.001, Options("--data", Wine, "--epochs", "1").GetProperty("learning_rate").GetDouble());
        Assert.Equal(0.01, Options("--data", Wine, "--epochs", "1", "--optimizer", "sgd").GetProperty("learning_rate").GetDouble());
        Assert.Equal(0.01, Options("--dataset", "wine", "--epochs", "1").GetProperty("learning_rate").GetDouble());
        Assert.Equal(0.001, Options("--dataset", "wine", "--epochs", "1", "--optimizer", "adamw").GetProperty("learning_rate").GetDouble());
        Assert.Equal(0.04, Options("--data", Wine, "--epochs", "1", "--recipe", "tabular").GetProperty("learning_rate").GetDouble());
        // A rate given is the rate used, whatever the optimizer.
        Assert.Equal(0.003, Options("--data", Wine, "--epochs", "1", "--optimizer", "sgd", "--lr", "0.003").GetProperty("learning_rate").GetDouble());
    }

    [Fact]
    public void Early_stopping_none_switches_the_quick_recipes_off_and_trains_every_epoch()
    {
        var (code, output, error) = CliRunner.Run("train", "--json", "--data", Wine, "--epochs", "20", "--early-stopping", "none", "--lr", "0.1");
        Assert.True(code == 0, error);
        using JsonDocument document = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("options").GetProperty("early_stopping").ValueKind);
        // At 0.1 the out-of-fold loss of wine's 178 rows turns up within 20 epochs, so a patience of 5 would stop the run (the
        // steps' patience left out: 6 steps an epoch would make it 42 epochs).
        Assert.Equal(20, document.RootElement.GetProperty("epochs").GetInt32());
        Assert.False(document.RootElement.TryGetProperty("best_epoch", out _));
        var (stoppedCode, stopped, stoppedError) = CliRunner.Run("train", "--json", "--data", Wine, "--epochs", "20", "--lr", "0.1", "--early-stopping-steps", "0");
        Assert.True(stoppedCode == 0, stoppedError);
        using JsonDocument stoppedDocument = JsonDocument.Parse(stopped);
        Assert.True(stoppedDocument.RootElement.GetProperty("epochs").GetInt32() < 20);

        var (badCode, _, bad) = CliRunner.Run("train", "--data", Wine, "--early-stopping", "never");
        Assert.Equal(2, badCode);
        Assert.Equal("error: --early-stopping: expected a number of epochs (e.g. 10) or 'none'. Received: 'never'.", bad.Trim());
    }

    [Fact]
    public void Ple_bins_puts_every_number_in_bins_that_info_shows_and_the_export_computes()
    {
        using var files = new TempFiles();
        string model = Path.Combine(files.Directory, "m.safetensors"), onnx = Path.Combine(files.Directory, "m.onnx");
        Assert.Equal(4, Options("--data", Wine, "--epochs", "2", "--ple-bins", "4", "--save", model).GetProperty("piecewise_linear_bins").GetInt32());
        var (code, info, error) = CliRunner.Run("info", "--model", model);
        Assert.True(code == 0, error);
        Assert.Contains("Inputs (13 columns → 65 model inputs)", info);
        Assert.Matches(@"alcohol +numeric +mean [0-9.]+, std [0-9.]+, missing → [0-9.]+; and piecewise-linear in 4 bins \(edges 11\.03, [0-9., ]+, 14\.83\)", info);
        var (jsonCode, json, _) = CliRunner.Run("info", "--model", model, "--json");
        Assert.Equal(0, jsonCode);
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal(5, document.RootElement.GetProperty("inputs")[0].GetProperty("bin_edges").GetArrayLength());
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--onnx", onnx).ExitCode);

        var (badCode, _, bad) = CliRunner.Run("train", "--data", Wine, "--ple-bins", "2");
        Assert.Equal(2, badCode);
        Assert.Equal("error: --ple-bins: expected 0 (none) or an integer from 3 to 256. Received: 2.", bad.Trim());
    }

    [Fact]
    public void Recipe_plain_gives_a_file_the_notebook_settings_and_recipe_tabular_its_ingredients()
    {
        JsonElement plain = Options("--data", Wine, "--recipe", "plain", "--epochs", "2");
        Assert.Equal([16], Hidden(plain));
        Assert.Equal("sgd", plain.GetProperty("optimizer").GetString());

        // The flags change the recipe they start from.
        JsonElement tabular = Options("--data", Wine, "--recipe", "tabular", "--epochs", "2", "--hidden", "16", "--feature-scale", "false");
        Assert.Equal([16], Hidden(tabular));
        Assert.False(tabular.GetProperty("feature_scale").GetBoolean());
        Assert.Equal("robust", tabular.GetProperty("scaling").GetString());
        Assert.Equal("ntk", tabular.GetProperty("parametrization").GetString());
        Assert.Equal("selu", tabular.GetProperty("activation").GetString());
        Assert.Equal("coslog", tabular.GetProperty("schedule").GetString());
        Assert.Equal(0.95, tabular.GetProperty("beta2").GetDouble());
        Assert.Equal(0.1, tabular.GetProperty("label_smoothing").GetDouble());
        Assert.True(tabular.GetProperty("restore_best").GetBoolean());
    }

    [Fact]
    public void Info_shows_a_robustly_scaled_column_by_its_median_and_interquartile_range()
    {
        using var files = new TempFiles();
        string model = Path.Combine(files.Directory, "m.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--data", Wine, "--recipe", "tabular", "--epochs", "1", "--hidden", "8", "--save", model, "--quiet");
        Assert.True(code == 0, error);
        var (infoCode, info, _) = CliRunner.Run("info", "--model", model);
        Assert.Equal(0, infoCode);
        Assert.Matches(@"alcohol +numeric +median 13\.\d+, IQR \d\.\d+, smoothly clipped, missing → ", info);
        Assert.Contains("FeatureScale(13)", info);
    }

    [Fact]
    public void An_unknown_recipe_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.Run("train", "--data", Wine, "--recipe", "fancy");
        Assert.Equal(2, code);
        Assert.Contains("--recipe", error);
    }

    [Fact]
    public void A_file_says_what_was_read_first_then_the_recipe_then_what_the_recipe_could_not_use()
    {
        // Numbers that are all 0 or 1 have no quantiles to put in bins: the default's bins are left out, in a note.
        using var files = new TempFiles();
        string flags = files.Write("flags.csv", "a,b,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 2},{i / 2 % 2},{(i % 3 == 0 ? "yes" : "no")}\n")));
        var (code, _, error) = CliRunner.Run("train", "--data", flags, "--epochs", "2", "--quiet");
        Assert.True(code == 0, error);
        string[] notes = error.TrimEnd('\n').Split('\n');
        Assert.StartsWith("note: read 40 rows × 3 columns of ", notes[0]);
        Assert.Equal("note: recipe quick, the default for a data file (--recipe plain or tabular for the others)", notes[1]);
        Assert.Equal("note: no piecewise-linear inputs: no numeric column has 3 or more distinct quantiles to put in bins", notes[2]);
    }

    [Fact]
    public void A_file_of_fewer_rows_than_the_defaults_members_trains_one_member_a_row()
    {
        using var files = new TempFiles();
        string four = files.Write("four.csv", "x,y\n1,a\n2,b\n3,a\n4,b\n");
        var (code, _, error) = CliRunner.Run("train", "--data", four, "--epochs", "2", "--quiet");
        Assert.True(code == 0, error);
        Assert.Contains("note: 4 rows: 4 members, each holding out one row (5 members need 5 rows or more)\n", error);
        // Asked for in so many words, the five members are refused, with what to change.
        var (asked, _, refusal) = CliRunner.Run("train", "--data", four, "--epochs", "2", "--cross-fit", "true");
        Assert.Equal(2, asked);
        Assert.EndsWith("error: --members: expected at most 4, one a row, to cross-fit 4 rows (or --cross-fit false). Received: 5.\n", refusal);
    }
}
