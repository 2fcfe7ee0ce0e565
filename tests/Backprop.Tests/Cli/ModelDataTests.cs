using Backprop.Estimators;
using Backprop.Cli.Commands;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Cli;

public sealed class ModelDataTests : TempFileTest
{
    // Fitted, saved and loaded, as evaluate and predict will get it from a model file.
    private TabularPreprocessor Trained()
    {
        var options = new TabularOptions(Categorical: ["zip"]);
        Table table = Table.Read(Files.Write("train.csv", "size,zip,kind\n1,02134,a\n2,10001,b\n3,02134,a\n"), options.ReadOptions());
        return new(TabularPreprocessorState.FromJson(TabularPreprocessor.Fit(table, options).State.ToJson()));
    }

    [Fact]
    public void Prediction_input_may_lack_the_target_and_warns_about_unseen_categories_and_imputed_cells()
    {
        TabularPreprocessor preprocessor = Trained();
        Table table = ModelData.Read(preprocessor, Files.Write("new.csv", "zip;size\n02134;2\n99999;2\n;NA\n"), null, null, new Remarks(_ => { }));
        var warnings = new List<string>();
        var imputed = new List<string>();
        Matrix<float> features = preprocessor.TransformFeatures<float>(table, warnings: warnings, notes: imputed);
        Assert.Equal(3, features.Rows);
        Assert.Equal([0f, 1, 0, 0, 0, 0, 0, 1, 0], features.Data); // size is standardized to 0 (the mean); 99999 is no zip seen; the last row imputed
        var notes = new StringWriter { NewLine = "\n" };
        new Remarks(notes.WriteLine).AddAll(warnings, imputed);
        Assert.Equal("warning: column 'zip': 1 row(s) with a category not seen in training (such as '99999') encoded as all zeros\n"
            + "note: imputed 1 missing value(s) in column 'size' with the training mean 2\n"
            + "note: imputed 1 missing value(s) in column 'zip' with the most frequent value in training, '02134'\n", notes.ToString());
    }

    [Fact]
    public void Evaluation_input_keeps_the_training_classes()
    {
        var notes = new StringWriter();
        var data = ModelData.Labelled<double>(Trained(), Files.Write("test.csv", "kind,size,zip\nb,1,10001\n,2,02134\na,3,02134\n"), ',', null, new Remarks(notes.WriteLine));
        Assert.Equal([1.0, 0], data.Targets.Data);
        Assert.Equal(["a", "b"], data.ClassNames);
        Assert.Equal("warning: skipped 1 row(s) whose target 'kind' is missing\n", notes.ToString());
    }

    [Fact]
    public void A_missing_training_column_is_an_error() =>
        Assert.Contains("Expected the column 'zip' (a feature in training)",
            Assert.Throws<BackpropException>(() => Trained().TransformFeatures<float>(ModelData.Read(Trained(), Files.Write("bad.csv", "size\n1\n"), null, null, new Remarks(_ => { })))).Message);

    [Theory]
    [InlineData("iris")]
    [InlineData("wine")]
    public void An_embedded_data_set_goes_through_a_preprocessor_that_reproduces_its_inputs(string name)
    {
        var run = new TabularTrainer<double>(TabularTrainingOptions.Notebook with { Dataset = name, Epochs = 0 }).Fit();
        TabularPreprocessor restored = new(TabularPreprocessorState.FromJson(run.Model.Preprocessor.State.ToJson()));
        Dataset<double> again = restored.Transform<double>(EmbeddedDatasets.ReadTable(name));
        Assert.Equal(run.TrainingData.Features.Data, again.Features.Data); // float64: the same bits
        Assert.Equal(run.TrainingData.Targets.Data, again.Targets.Data);
        Assert.Equal(run.TrainingData.FeatureNames, restored.FeatureNames);

        // And it is the notebook's standardization: the scaler of the raw features, to rounding.
        Dataset<double> raw = EmbeddedDatasets.Load<double>(name);
        Matrix<double> scaled = StandardScaler<double>.Fit(raw.Features).Transform(raw.Features);
        for (int i = 0; i < scaled.Length; i++) Assert.Equal(scaled.Data[i], run.TrainingData.Features.Data[i], 1e-12);
    }
}
