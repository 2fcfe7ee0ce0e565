#:project ../src/Backprop/Backprop.csproj
// A classifier on a CSV file with the estimator API, in the scikit-learn shape: Fit, PredictProba, Score.
// Run it with:  dotnet run examples/Classifier.cs               (the embedded UCI Wine data)
//          or:  dotnet run examples/Classifier.cs -- data.csv   (any CSV file with a header; the last column is the class)
using System.Globalization;
using Backprop;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Preprocessing;
using Backprop.Tensors;

// 1. Read the table: types, delimiter and missing values are worked out by the loader, as `backprop train` does.
Table table;
try
{
    table = args.Length > 0 ? Table.Read(args[0]) : EmbeddedDatasets.ReadTable("wine");
}
catch (BackpropException e)   // a missing file, a malformed CSV: the message says what and where
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
Console.WriteLine(table);

// 2. Hold out a test part (stratified: every class keeps its share) before anything is fitted on the data.
var options = new TabularOptions();   // target: the last column; features: every other column
var (trainRows, testRows) = RowSplit.TrainValidation(table, options, validationFraction: 0.25, new Rng(seed: 42));

// 3. Preprocessing fitted on the training rows only: imputation, one-hot encoding of text columns, class labels → 0 .. C−1.
TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table, options, trainRows);
Console.WriteLine(preprocessor);
foreach (string note in preprocessor.Notes) Console.WriteLine($"  note: {note}");
if (preprocessor.ClassNames is not { } classNames)
{
    Console.Error.WriteLine($"The target '{preprocessor.State.Target.Name}' looks like a regression target; see examples/Regression.cs.");
    return 1;
}
Dataset<float> train = preprocessor.Transform<float>(table, trainRows);
Dataset<float> test = preprocessor.Transform<float>(table, testRows);
int[] trainLabels = Labels(train), testLabels = Labels(test);

// 4. The estimator with its defaults: one hidden layer of 100 ReLU units, Adam, early stopping on 10% of the training part.
//    (It standardizes its inputs itself; the preprocessor's numeric columns already are, so that is a no-op here.)
var classifier = new MlpClassifier<float>();
classifier.Fit(train.Features, trainLabels);
Console.WriteLine($"Trained {classifier.History.Count} epochs (best: {classifier.BestEpoch}) on {train.Count} rows; tested on {test.Count}.");
Console.WriteLine(classifier.Model);

// 5. Score on the held-out rows, and look at a few predictions with their class labels.
double accuracy = classifier.Score(test.Features, testLabels);
Console.WriteLine($"Test accuracy: {accuracy.ToString("F4", CultureInfo.InvariantCulture)}");

Matrix<float> probabilities = classifier.PredictProba(test.Features);   // (N, C), columns in the order of classifier.Classes
int[] predicted = classifier.Predict(test.Features);
Console.WriteLine("Some test rows:");
for (int shown = 0; shown < Math.Min(5, test.Count); shown++)
{
    int i = shown * test.Count / Math.Min(5, test.Count);   // spread over the file, which is often sorted by class
    string probs = string.Join(", ", classifier.Classes.Select((k, column) =>
        $"{Label(k)} {probabilities[i, column].ToString("F3", CultureInfo.InvariantCulture)}"));
    Console.WriteLine($"  line {table.LineOf(testRows[i])}: predicted {Label(predicted[i])}, actual {Label(testLabels[i])}  ({probs})");
}
return 0;

string Label(int classIndex) => classNames[classIndex];

static int[] Labels(Dataset<float> data) => Enumerable.Range(0, data.Count).Select(data.Label).ToArray();
