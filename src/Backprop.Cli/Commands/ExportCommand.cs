using System.CommandLine;
using System.Numerics;
using Backprop.Models;
using Backprop.Serialization;
using Backprop.Serialization.Onnx;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop export</c>: a saved model as an ONNX graph, preprocessing included.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output)
    {
        var model = ModelOptions.Model();
        // --out as well: the name every other command gives the file it writes.
        var onnx = new Option<string>("--onnx", "--out")
        {
            Description = "ONNX file to write (opset 13): input 'features' float[N, F] of the raw numeric columns (NaN for missing), one string[N, 1] input per categorical column (empty or NA for missing) and one double[N, 1] per date column (days since 1970-01-01 UTC); outputs 'probabilities' and 'label' (classification) or 'prediction' (regression)",
            HelpName = "OUT.onnx",
            Required = true,
        };
        var command = new Command("export",
            "Export a saved model to ONNX, with its standardization and one-hot encoding inside the graph, for ONNX Runtime and any "
            + "other ONNX consumer. The feature order is in the graph's doc string and metadata.\n\n"
            + "Example:\n  backprop export --model iris.safetensors --onnx iris.onnx")
        {
            model, onnx,
        };
        command.SetAction(parse =>
        {
            OutputFiles.Check([(model.Name, parse.GetValue(model), "the model")], [(onnx.Name, parse.GetValue(onnx))]);
            return ModelLoader.Run(parse.GetValue(model)!, new Handler(parse.GetValue(onnx)!, output));
        });
        return command;
    }

    private sealed class Handler(string onnxPath, TextWriter output) : IModelHandler
    {
        public int Run<T>(TabularModel<T> model, SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (model.Output == OutputKind.Sigmoid)
            {
                throw new BackpropException("Expected a model with a softmax or identity output for ONNX export. Received: a one-logit (sigmoid) binary classifier; train it with the default softmax cross-entropy loss to export it.");
            }
            OnnxExporter.Save(onnxPath, model.Network, model.OnnxOptions());
            output.WriteLine($"Wrote {onnxPath} ({new FileInfo(onnxPath).Length:N0} bytes, ONNX opset {OnnxExporter.Opset})");
            return Cli.Success;
        }
    }
}
