using System.Text.Json;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Estimators;

/// <summary>An estimator's model is the command line's model: the same file, both ways.</summary>
public sealed class MlpEstimatorFileTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string PathOf(string name) => Path.Combine(_files.Directory, name);

    private static readonly string Iris = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "iris.csv");

    private static (Matrix<float> X, int[] Y) IrisArrays()
    {
        Dataset<float> iris = EmbeddedDatasets.Iris<float>();
        return (iris.Features, iris.Labels());
    }

    // The matrix as the CSV file its model reads: columns x0 … x3 and the target y.
    private string Rows(Matrix<float> x, int[] y) => _files.Write("rows.csv", "x0,x1,x2,x3,y\n" + string.Concat(Enumerable.Range(0, x.Rows).Select(r =>
        string.Join(',', x.Row(r).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + $",{y[r]}\n")));

    [Fact]
    public void A_classifier_fitted_in_code_opens_in_info_predict_evaluate_and_export()
    {
        (Matrix<float> x, int[] y) = IrisArrays();
        var classifier = new MlpClassifier<float>(new TabularTrainingOptions { HiddenLayers = [8], Epochs = 30, Seed = 2 }).Fit(x, y);
        string model = PathOf("code.safetensors");
        classifier.Save(model);

        var (infoCode, info, infoError) = CliRunner.Run("info", "--model", model, "--json");
        Assert.True(infoCode == 0, infoError);
        using JsonDocument described = JsonDocument.Parse(info);
        Assert.Equal(["0", "1", "2"], described.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("adam", described.RootElement.GetProperty("training").GetProperty("optimizer").GetString());

        string csv = Rows(x, y);
        var (predictCode, predictions, predictError) = CliRunner.Run("predict", "--model", model, "--data", csv);
        Assert.True(predictCode == 0, predictError);
        string[] labels = predictions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[1]).ToArray();
        Assert.Equal(classifier.Predict(x).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)), labels);
        Assert.Equal(0, CliRunner.Run("evaluate", "--model", model, "--data", csv).ExitCode);
        Assert.Equal(0, CliRunner.Run("export", "--model", model, "--onnx", PathOf("code.onnx")).ExitCode);
        Assert.True(new FileInfo(PathOf("code.onnx")).Length > 0);
    }

    [Fact]
    public void A_model_trained_by_the_command_line_loads_into_the_estimator()
    {
        string model = PathOf("cli.safetensors");
        Assert.Equal(0, CliRunner.Run("train", "--recipe", "plain", "--data", Iris, "--epochs", "20", "--save", model).ExitCode);
        MlpClassifier<float> classifier = MlpClassifier<float>.Load(model);
        Assert.Equal(["setosa", "versicolor", "virginica"], classifier.ClassLabels);
        Assert.Throws<InvalidOperationException>(() => classifier.Classes); // text labels: no integers to give
        Table table = Table.Read(Iris);
        string[] predicted = classifier.PredictLabels(table);
        Assert.True(predicted.Zip(Enumerable.Range(0, 150).Select(r => table.Find("species")!.GetText(r)), (a, b) => a == b).Count(same => same) > 135);
        // A matrix works too, its columns in the order of the training columns.
        Matrix<float> x = EmbeddedDatasets.Iris<float>().Features;
        Assert.Equal(predicted, classifier.PredictLabels(x));
        Assert.Equal(20, classifier.TrainedOptions!.Epochs);
        Assert.Throws<BackpropException>(() => MlpRegressor<float>.Load(model));
    }

    [Fact]
    public void Loading_and_saving_again_writes_the_same_file_and_it_still_resumes()
    {
        (Matrix<float> x, int[] y) = IrisArrays();
        string first = PathOf("first.safetensors"), second = PathOf("second.safetensors");
        new MlpClassifier<float>(new TabularTrainingOptions { Epochs = 5, Optimizer = OptimizerKind.Adam }).Fit(x, y).Save(first);
        MlpClassifier<float>.Load(first).Save(second);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        // Resuming needs the data (a matrix has no path): given as a table with the model's columns.
        Table table = Table.Read(Rows(x, y));
        TabularTrainingResult<float> resumed = TabularTrainer<float>.Resume(second, o => o with { Epochs = 8 }).Fit(table);
        Assert.Equal(5, resumed.InitialEpoch);
    }

    [Fact]
    public void A_regressor_reads_a_csv_file_and_its_model_resumes_from_the_command_line()
    {
        string wine = Path.Combine(RepositoryPaths.Root, "src", "Backprop", "Data", "Embedded", "wine.csv");
        var regressor = new MlpRegressor<float>(new TabularTrainingOptions { Target = "alcohol", Epochs = 15, HiddenLayers = [16], LearningRate = 0.01 });
        regressor.Fit(wine);
        Assert.True(regressor.Predict(Table.Read(wine)).All(double.IsFinite));
        regressor.Save(PathOf("alcohol.safetensors"));
        var (code, output, error) = CliRunner.Run("train", "--resume", PathOf("alcohol.safetensors"), "--epochs", "18");
        Assert.True(code == 0, error);
        Assert.StartsWith("Epoch ", output.Split('\n')[0]);
        Assert.Contains("Training R²", output);
    }

    [Fact]
    public void Missing_features_in_a_matrix_are_imputed()
    {
        (Matrix<float> x, int[] y) = IrisArrays();
        Matrix<float> holes = x.Convert<float>();
        for (int r = 0; r < holes.Rows; r += 7) holes[r, r % 4] = float.NaN;
        var classifier = new MlpClassifier<float>(new TabularTrainingOptions { Epochs = 20 }).Fit(holes, y);
        Assert.All(classifier.PredictProba(holes).Data, p => Assert.True(float.IsFinite(p)));
        Assert.True(classifier.Score(x, y) > 0.8);
    }
}
