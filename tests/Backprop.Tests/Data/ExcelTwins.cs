using System.Globalization;
using System.Text;

namespace Backprop.Tests.Data;

/// <summary>
/// A Boston-housing-like table written twice: as a plain CSV file (',' delimiter, decimal points, '\n') and as Excel writes it
/// where the comma is the decimal separator (';' delimiter, decimal commas, a UTF-8 byte-order mark, "\r\n").
/// </summary>
internal static class ExcelTwins
{
    /// <summary>The plain file's text: numeric columns of every kind of spelling, a missing cell, a numeric regression target.</summary>
    public static string Dots(int rows = 120, int seed = 11)
    {
        var random = new Random(seed);
        var text = new StringBuilder("crim,nox,rm,age,tax,tiny,chas,medv\n");
        for (int r = 0; r < rows; r++)
        {
            double crim = Math.Round(random.NextDouble() * 90, 5);
            double nox = Math.Round(0.38 + random.NextDouble() * 0.5, 3);      // 0.538
            double rm = Math.Round(3.5 + random.NextDouble() * 5, 3);
            double age = -12.5 + random.Next(0, 220) * 0.5;                      // -12.5, 3 (an integer), 97.5
            int tax = 187 + random.Next(0, 525);
            double tiny = (random.NextDouble() + 0.1) * 1e-7;                   // 1.2345678901234567E-07: an exponent
            int chas = random.Next(0, 2);
            double medv = 5 + 3 * rm + 10 * nox - 0.05 * crim + chas + random.NextDouble();
            string crimCell = r % 17 == 5 ? "NA" : Cell(crim);
            text.Append(string.Join(",", crimCell, Cell(nox), Cell(rm), Cell(age), tax, Cell(tiny), chas, Cell(Math.Round(medv, 2)))).Append('\n');
        }
        return text.ToString();
    }

    private static string Cell(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary><paramref name="dots"/> as Excel saves it with a comma as decimal separator: the bytes of the file, BOM first.</summary>
    public static byte[] Excel(string dots)
    {
        IEnumerable<string> lines = dots.TrimEnd('\n').Split('\n')
            .Select(line => string.Join(";", line.Split(',').Select(cell => cell.Replace('.', ','))));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")];
    }
}
