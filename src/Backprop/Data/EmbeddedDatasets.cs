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

    /// <summary>The embedded data set called <paramref name="name"/> (see <see cref="Names"/>), features not standardized.</summary>
    /// <exception cref="ArgumentException">No embedded data set has that name.</exception>
    public static Dataset<T> Load<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => FromTable<T>(ReadTable(name));

    /// <summary>
    /// The embedded data set called <paramref name="name"/> as a raw table, so that it can go through the same preprocessing as
    /// any CSV file (as <c>backprop train</c> does).
    /// </summary>
    /// <exception cref="ArgumentException">No embedded data set has that name.</exception>
    public static Table ReadTable(string name, CsvReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string resource = $"Backprop.Data.{name.ToLowerInvariant()}.csv";
        Assembly assembly = typeof(EmbeddedDatasets).Assembly;
        if (assembly.GetManifestResourceInfo(resource) is null)
        {
            throw new ArgumentException($"Expected one of the embedded data sets ({string.Join(", ", Names)}). Received: '{name}'.", nameof(name));
        }
        string source = $"{name} (embedded)";
        string text;
        using (var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!))
        {
            text = reader.ReadToEnd();
        }
        // The shipped files are plain enough to be split without Sep (the same table, checked by a test), which saves the
        // notebook run more time than reading the file takes; anything else goes through the CSV reader users' files go through.
        return Table.TryReadPlain(text, source, options ?? new CsvReadOptions())
            ?? Table.Read(() => assembly.GetManifestResourceStream(resource)!, source, options);
    }

    // The embedded files are plain CSV files read into the same table as users' files, but they need no preprocessing
    // beyond the label: numeric features, the class label in the last column, classes sorted by name.
    private static Dataset<T> FromTable<T>(Table table) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TableColumn label = table.Columns[^1];
        TableColumn[] features = table.Columns.Take(table.Columns.Count - 1).ToArray();
        // Classes sorted ordinally, as the preprocessing's label encoder sorts text labels.
        string[] classes = [.. label.Levels];
        Array.Sort(classes, StringComparer.Ordinal);
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classes.Length; k++) classIndex[classes[k]] = k;
        var featureMatrix = new Matrix<T>(table.RowCount, features.Length);
        var targets = new Matrix<T>(table.RowCount, 1);
        for (int r = 0; r < table.RowCount; r++)
        {
            for (int c = 0; c < features.Length; c++)
            {
                featureMatrix[r, c] = T.CreateChecked(features[c].GetNumber(r));
            }
            targets[r, 0] = T.CreateChecked(classIndex[label.GetText(r)!]);
        }
        return new Dataset<T>(featureMatrix, targets, features.Select(f => f.Name).ToArray(), classes);
    }
}
