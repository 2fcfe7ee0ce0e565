using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Backprop.Tests.Architecture;

/// <summary>
/// The namespaces form layers, each using only the layers below it (docs/design.md, "Layers"): a back-edge fails this test
/// instead of growing a dependency cycle quietly. Read from the compiled assemblies, method bodies included.
/// </summary>
public class LayeringTests
{
    /// <summary>From the bottom up: a namespace (with the ones below it in its name, as <c>Backprop.Serialization.Onnx</c>) may use those listed before it.</summary>
    public static readonly string[] Layers =
    [
        "Backprop",
        "Backprop.Tensors",
        "Backprop.IO",
        "Backprop.Layers",
        "Backprop.Losses",
        "Backprop.Metrics",
        "Backprop.Optimizers",
        "Backprop.Data",
        "Backprop.Preprocessing",
        "Backprop.Serialization",
        "Backprop.Training",
        "Backprop.Models",
        "Backprop.Estimators",
        "Backprop.Mpi",
        "Backprop.Cli.Rendering",
        "Backprop.Cli.Commands",
        "Backprop.Cli",
    ];

    private static readonly ArchUnitNET.Domain.Architecture Code = new ArchLoader()
        .LoadAssemblies(typeof(BackpropException).Assembly, typeof(Backprop.Mpi.MpiCollective).Assembly, typeof(Backprop.Cli.Cli).Assembly)
        .Build();

    // "Backprop" alone, "Backprop.Serialization" with "Backprop.Serialization.Onnx"; the layers named apart stay apart.
    private static string Pattern(string layer) =>
        layer is "Backprop" or "Backprop.Cli" ? $"^{layer.Replace(".", @"\.", StringComparison.Ordinal)}$"
        : $"^{layer.Replace(".", @"\.", StringComparison.Ordinal)}(\\..+)?$";

    private static IObjectProvider<IType> In(string layer) => Types().That().ResideInNamespaceMatching(Pattern(layer)).As(layer);

    public static TheoryData<string> Namespaces => new(Layers[..^1]);

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void A_layer_uses_no_layer_above_it(string layer)
    {
        string[] above = Layers[(Array.IndexOf(Layers, layer) + 1)..];
        IObjectProvider<IType> higher = Types().That().ResideInNamespaceMatching(string.Join('|', above.Select(Pattern))).As(string.Join(", ", above));
        Types().That().Are(In(layer)).Should().NotDependOnAny(higher).Check(Code);
    }

    [Fact]
    public void Every_namespace_is_in_a_layer()
    {
        string[] namespaces = Code.Types.Select(t => t.Namespace.FullName)
            .Where(n => n.StartsWith("Backprop", StringComparison.Ordinal) && !n.StartsWith("Backprop.Tests", StringComparison.Ordinal))
            .Distinct().Order().ToArray();
        Assert.All(namespaces, n => Assert.Contains(Layers, layer => System.Text.RegularExpressions.Regex.IsMatch(n, Pattern(layer))));
        Assert.Contains("Backprop.Serialization.Onnx", namespaces);
    }

    [Fact]
    public void The_core_library_knows_nothing_of_MPI()
    {
        // MPI lives in its own assembly, which the CLI loads only for --distributed mpi.
        Assert.DoesNotContain(typeof(BackpropException).Assembly.GetReferencedAssemblies(), a => a.Name == "Backprop.Mpi");
        Assert.Contains(typeof(Backprop.Cli.Cli).Assembly.GetReferencedAssemblies(), a => a.Name == "Backprop.Mpi");
    }
}
