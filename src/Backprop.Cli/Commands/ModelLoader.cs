using Backprop.Models;
using Backprop.Serialization;

namespace Backprop.Cli.Commands;

/// <summary>Opens a model file in the precision it was saved in and hands it to a command.</summary>
internal static class ModelLoader
{
    /// <exception cref="BackpropException">The file is missing, malformed, or not a tabular model.</exception>
    public static int Run(string path, IModelHandler handler)
    {
        SafeTensorsDocument document = SafeTensors.Load(path);
        if (ModelFile.StoredPrecision(document, path) == TensorDType.F64)
        {
            var (model, saved) = TabularModel<double>.FromSaved(ModelFile.FromDocument<double>(document, path), path);
            return handler.Run(model, saved);
        }
        var (single, savedSingle) = TabularModel<float>.FromSaved(ModelFile.FromDocument<float>(document, path), path);
        return handler.Run(single, savedSingle);
    }
}
