using System.Globalization;
using System.Numerics;
using System.Reflection;
using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>Small classic data sets shipped inside the library, so the notebook runs with no file at all.</summary>
public static class EmbeddedDatasets
{
    /// <summary>Names of the embedded data sets.</summary>
    public static IReadOnlyList<string> Names { get; } = ["iris", "wine"];

    /// <summary>Fisher's Iris: 150 flowers, 4 measurements (cm), 3 species; classes sorted by name.</summary>
    public static Dataset<T> Iris<T>() where T : unmanaged, IFloatingPointIeee754<T> => Load<T>("iris");

    /// <summary>UCI Wine: 178 wines, 13 chemical measurements, 3 cultivars; classes sorted by name.</summary>
    public static Dataset<T> Wine<T>() where T : unmanaged, IFloatingPointIeee754<T> => Load<T>("wine");

    /// <summary>The embedded data set called <paramref name="name"/> (see <see cref="Names"/>).</summary>
    /// <exception cref="ArgumentException">No embedded data set has that name.</exception>
    public static Dataset<T> Load<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string resource = $"Backprop.Data.{name.ToLowerInvariant()}.csv";
        using Stream stream = typeof(EmbeddedDatasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"Expected one of the embedded data sets ({string.Join(", ", Names)}). Received: '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        return Parse<T>(reader);
    }

    // The embedded files are ours and known to be well formed (a header, then numeric features and a label in the last column),
    // so a split on ',' is all they need; user CSV files go through the full loader.
    private static Dataset<T> Parse<T>(TextReader reader) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[] header = reader.ReadLine()!.Split(',');
        var rows = new List<string[]>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            rows.Add(line.Split(','));
        }
        int featureCount = header.Length - 1;
        string[] classNames = rows.Select(r => r[^1]).Distinct().Order(StringComparer.Ordinal).ToArray();
        var features = new Matrix<T>(rows.Count, featureCount);
        var targets = new Matrix<T>(rows.Count, 1);
        for (int i = 0; i < rows.Count; i++)
        {
            for (int j = 0; j < featureCount; j++)
            {
                features[i, j] = T.Parse(rows[i][j], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            targets[i, 0] = T.CreateChecked(Array.IndexOf(classNames, rows[i][^1]));
        }
        return new Dataset<T>(features, targets, header[..featureCount], classNames);
    }
}
