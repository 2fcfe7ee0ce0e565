using System.Numerics;
using Backprop.Layers;
using Backprop.Tensors;

namespace Backprop.Tests.Layers;

/// <summary>Runs a parameterless elementwise layer on one row, and compares its values with reference values.</summary>
internal static class Elementwise
{
    /// <summary>The layer's outputs for <paramref name="x"/> and its derivatives there (the backward pass of <c>doutput = 1</c>).</summary>
    public static (T[] Output, T[] Derivative) Apply<T>(ILayer<T> layer, T[] x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        _ = new Sequential<T>(x.Length, layer);
        T[] y = new T[x.Length], dx = new T[x.Length], ones = new T[x.Length];
        Array.Fill(ones, T.One);
        layer.Forward(y, x, 1, null);
        layer.Backward(dx, ones, x, y, 1);
        return (y, dx);
    }

    /// <summary>
    /// Checks the layer's derivative against central differences at <paramref name="trials"/> points drawn uniformly from
    /// [<paramref name="low"/>, <paramref name="high"/>], one element at a time, so that each difference sees only its own
    /// element's output and not the rounding of a sum over large ones.
    /// </summary>
    public static void AssertFiniteDifferences(Func<ILayer<double>> create, double low, double high, ulong seed, int trials = 200)
    {
        var rng = new Rng(seed);
        for (int trial = 0; trial < trials; trial++)
        {
            double x = rng.NextUniform(low, high);
            double error = GradientCheck.Layer(create(), inputFeatures: 1, batch: 1, seed: (ulong)trial, _ => x);
            Assert.True(error < 1e-7, $"x = {x:R}: relative error {error}");
        }
    }

    /// <summary>Asserts <c>|actual − expected| ≤ relative · |expected|</c> element by element (so a zero must be exact).</summary>
    public static void AssertClose(double[] expected, double[] actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= relative * Math.Abs(expected[i]),
                $"{what}[{i}]: expected {expected[i]:R}. Received: {actual[i]:R}.");
        }
    }
}
