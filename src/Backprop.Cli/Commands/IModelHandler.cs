using System.Numerics;
using Backprop.Models;
using Backprop.Serialization;

namespace Backprop.Cli.Commands;

/// <summary>A command's work on a loaded model, in the precision the file was saved in.</summary>
internal interface IModelHandler
{
    int Run<T>(TabularModel<T> model, SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T>;
}
