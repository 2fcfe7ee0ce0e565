using System.Numerics;
using System.Runtime.Intrinsics;
using Backprop.Tensors;

namespace Backprop.Tests.Tensors;

/// <summary>Every path of <see cref="Gemm"/> (direct, packed, threaded, fused bias/ReLU) against <see cref="GemmReference"/>.</summary>
[Collection(nameof(Parallelism))]
public class GemmTests
{
    // Odd sizes hit every edge: empty, below one register tile (6 × 16 floats / 6 × 8 doubles), just over it, and over a
    // 130-wide block; (M, N, K) triples over this set cover the direct path (small M·N·K) and the packed path (the rest).
    private static readonly int[] s_sizes = [0, 1, 5, 7, 17, 33, 130];

    public enum Variant { Plain, TransposedA, TransposedB }

    public static TheoryData<Variant, bool> VariantsAndAccumulate()
    {
        var data = new TheoryData<Variant, bool>();
        foreach (Variant variant in Enum.GetValues<Variant>())
        {
            data.Add(variant, false);
            data.Add(variant, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(VariantsAndAccumulate))]
    public void Float_matches_reference_over_odd_shapes(Variant variant, bool accumulate) =>
        MatchesReferenceOverOddShapes<float>(variant, accumulate, 2e-6);

    [Theory]
    [MemberData(nameof(VariantsAndAccumulate))]
    public void Double_matches_reference_over_odd_shapes(Variant variant, bool accumulate) =>
        MatchesReferenceOverOddShapes<double>(variant, accumulate, 1e-14);

    [Theory]
    // K over one K block (256), M over one M block (144), N over a few column panels: the blocking loops and their edges.
    [InlineData(Variant.Plain, 150, 70, 300)]
    [InlineData(Variant.TransposedA, 150, 70, 300)]
    [InlineData(Variant.TransposedB, 150, 70, 300)]
    [InlineData(Variant.TransposedB, 128, 256, 784)]
    [InlineData(Variant.TransposedA, 256, 129, 128)]
    // Split by columns: two M blocks and three K blocks of A in every chunk.
    [InlineData(Variant.Plain, 150, 160, 520)]
    public void Large_shapes_match_reference_in_both_precisions(Variant variant, int m, int n, int k)
    {
        Compare<float>(variant, m, n, k, accumulate: true, seed: 3, 2e-6);
        Compare<double>(variant, m, n, k, accumulate: false, seed: 4, 1e-14);
    }

    [Theory]
    // The first splits columns, the second rows (many more row tiles than column tiles); both are over the parallel threshold.
    [InlineData(Variant.Plain, 130, 200, 300)]
    [InlineData(Variant.TransposedB, 200, 130, 300)]
    [InlineData(Variant.TransposedA, 400, 20, 300)]
    public void One_and_two_threads_give_bit_identical_results(Variant variant, int m, int n, int k)
    {
        Assert.True((long)m * n * k >= Gemm.ParallelThreshold);
        var rng = new Rng(9);
        float[] a = Random<float>(rng, m * k), b = Random<float>(rng, k * n), c0 = Random<float>(rng, m * n);
        float[] one = (float[])c0.Clone(), two = (float[])c0.Clone();
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            Fast(variant, one, a, b, m, n, k, accumulate: true);
            Parallelism.MaxThreads = 2;
            Fast(variant, two, a, b, m, n, k, accumulate: true);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
        Assert.Equal(one, two);
    }

    [Theory]
    // Shapes whose row count alone moves them between the direct and the packed path (16,384 multiply-adds, or M ≤ 2).
    [InlineData(64, 40, true)]
    [InlineData(3, 100, false)]
    [InlineData(16, 16, false)]
    [InlineData(2, 300, false)]
    public void A_batch_invariant_product_gives_each_row_the_same_bits_whatever_the_row_count(int n, int k, bool relu)
    {
        const int m = 300;
        var rng = new Rng(33);
        float[] a = Random<float>(rng, m * k), b = Random<float>(rng, n * k), bias = Random<float>(rng, n), all = new float[m * n];
        Gemm.MultiplyTransposedBAddBias<float>(all, a, b, bias, m, n, k, relu, batchInvariant: true);
        foreach ((int start, int rows) in new[] { (0, 1), (7, 2), (10, 5), (100, 60), (299, 1) })
        {
            var part = new float[rows * n];
            Gemm.MultiplyTransposedBAddBias<float>(part, a.AsSpan(start * k, rows * k), b, bias, rows, n, k, relu, batchInvariant: true);
            Assert.Equal(all.AsSpan(start * n, rows * n).ToArray(), part);
        }
    }

    [Theory]
    [InlineData(1, 16, 4, false)]
    [InlineData(1, 3, 16, true)]
    [InlineData(7, 33, 17, true)]
    [InlineData(130, 70, 300, true)]
    [InlineData(130, 70, 300, false)]
    [InlineData(5, 17, 0, true)]
    public void Fused_bias_and_relu_match_product_then_bias_then_relu(int m, int n, int k, bool relu)
    {
        var rng = new Rng(21);
        double[] a = Random<double>(rng, m * k), b = Random<double>(rng, n * k), bias = Random<double>(rng, n);
        double[] expected = new double[m * n], actual = Random<double>(rng, m * n);
        GemmReference.MultiplyTransposedB<double>(expected, a, b, m, n, k, accumulate: false);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double value = expected[i * n + j] + bias[j];
                expected[i * n + j] = relu ? Math.Max(value, 0) : value;
            }
        }
        Gemm.MultiplyTransposedBAddBias<double>(actual, a, b, bias, m, n, k, relu);
        for (int e = 0; e < expected.Length; e++)
        {
            Assert.True(Math.Abs(expected[e] - actual[e]) <= 1e-12 * (1 + Math.Abs(expected[e])), $"element {e}: {expected[e]} vs {actual[e]}");
        }
    }

    [Fact]
    public void Hand_computed_product()
    {
        // A (2, 3) · B (3, 2)
        float[] a = [1, 2, 3, 4, 5, 6], b = [7, 8, 9, 10, 11, 12], c = new float[4];
        Gemm.Multiply<float>(c, a, b, 2, 2, 3, accumulate: false);
        Assert.Equal([58f, 64f, 139f, 154f], c);
    }

    [Fact]
    public void Too_short_operands_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(new float[4], new float[5], new float[6], 2, 2, 3, false));
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyTransposedBAddBias<float>(new float[4], new float[6], new float[6], new float[1], 2, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyTransposedA<float>(new float[4], new float[6], new float[6], -1, 2, 3, false));
    }

    private static void MatchesReferenceOverOddShapes<T>(Variant variant, bool accumulate, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong seed = 1;
        foreach (int m in s_sizes)
        {
            foreach (int n in s_sizes)
            {
                foreach (int k in s_sizes)
                {
                    Compare<T>(variant, m, n, k, accumulate, seed++, tolerance);
                }
            }
        }
    }

    // Error bound: tolerance · (|C₀| + Σ_p |A(i,p)·B(p,j)|), the scale of rounding in any summation order.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_micro_kernel_matches_reference_over_odd_shapes(bool wide)
    {
        // The machine running the tests picks one kernel; the other (Vector128 for ARM64 and x64 without AVX2, or Vector256)
        // is checked here through the packed path directly, at sizes that would normally take the direct path too.
        foreach (Variant variant in Enum.GetValues<Variant>())
        {
            ulong seed = 100;
            foreach (int m in s_kernelSizes)
            {
                foreach (int n in s_kernelSizes)
                {
                    foreach (int k in s_kernelSizes)
                    {
                        bool accumulate = seed % 2 == 0, relu = seed % 3 == 0, bias = !accumulate && seed % 5 != 0;
                        if (wide)
                        {
                            ComparePacked<float, MicroKernel<float, Vector256<float>, Vector256Ops<float>>>(variant, m, n, k, accumulate, bias, relu, seed++, 2e-6);
                            ComparePacked<double, MicroKernel<double, Vector256<double>, Vector256Ops<double>>>(variant, m, n, k, accumulate, bias, relu, seed++, 1e-14);
                        }
                        else
                        {
                            ComparePacked<float, MicroKernel<float, Vector128<float>, Vector128Ops<float>>>(variant, m, n, k, accumulate, bias, relu, seed++, 2e-6);
                            ComparePacked<double, MicroKernel<double, Vector128<double>, Vector128Ops<double>>>(variant, m, n, k, accumulate, bias, relu, seed++, 1e-14);
                        }
                    }
                }
            }
            // Over a K block (256) and an M block (144).
            if (wide) ComparePacked<float, MicroKernel<float, Vector256<float>, Vector256Ops<float>>>(variant, 150, 37, 300, true, false, false, seed, 2e-6);
            else ComparePacked<float, MicroKernel<float, Vector128<float>, Vector128Ops<float>>>(variant, 150, 37, 300, true, false, false, seed, 2e-6);
        }
    }

    // Sizes below, at and just over both tiles (6 × 8 and 6 × 16 floats; 6 × 4 and 6 × 8 doubles).
    private static readonly int[] s_kernelSizes = [1, 2, 5, 6, 9, 17, 33];

    private static void ComparePacked<T, TKernel>(Variant variant, int m, int n, int k, bool accumulate, bool withBias, bool relu,
        ulong seed, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IMicroKernel<T>
    {
        var rng = new Rng(seed);
        T[] a = Random<T>(rng, m * k), b = Random<T>(rng, k * n), c0 = Random<T>(rng, m * n), bias = withBias ? Random<T>(rng, n) : [];
        T[] expected = (T[])c0.Clone(), actual = (T[])c0.Clone();
        T[] absA = a.Select(T.Abs).ToArray(), absB = b.Select(T.Abs).ToArray(), scale = c0.Select(T.Abs).ToArray();
        Reference(variant, expected, a, b, m, n, k, accumulate);
        Reference(variant, scale, absA, absB, m, n, k, accumulate: true);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (withBias) expected[i * n + j] += bias[j];
                if (relu) expected[i * n + j] = T.Max(expected[i * n + j], T.Zero);
            }
        }
        Gemm.MultiplyPacked<T, TKernel>(actual, a, b, m, n, k, variant == Variant.TransposedA, variant == Variant.TransposedB,
            accumulate, bias, relu);
        for (int e = 0; e < expected.Length; e++)
        {
            double difference = Math.Abs(double.CreateChecked(expected[e] - actual[e]));
            double bound = tolerance * (2 + double.CreateChecked(scale[e]) + (withBias ? double.CreateChecked(T.Abs(bias[e % n])) : 0));
            Assert.True(difference <= bound,
                $"{typeof(TKernel).Name} {variant} M={m} N={n} K={k} accumulate={accumulate} bias={withBias} relu={relu}: element {e} is {actual[e]}, expected {expected[e]}");
        }
    }

    private static void Compare<T>(Variant variant, int m, int n, int k, bool accumulate, ulong seed, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        T[] a = Random<T>(rng, m * k), b = Random<T>(rng, k * n), c0 = Random<T>(rng, m * n);
        T[] expected = (T[])c0.Clone(), actual = (T[])c0.Clone();
        T[] absA = a.Select(T.Abs).ToArray(), absB = b.Select(T.Abs).ToArray(), scale = c0.Select(T.Abs).ToArray();
        Reference(variant, expected, a, b, m, n, k, accumulate);
        Reference(variant, scale, absA, absB, m, n, k, accumulate: true);
        Fast(variant, actual, a, b, m, n, k, accumulate);
        for (int e = 0; e < expected.Length; e++)
        {
            double difference = Math.Abs(double.CreateChecked(expected[e] - actual[e]));
            double bound = tolerance * (1 + double.CreateChecked(scale[e]));
            Assert.True(difference <= bound,
                $"{variant} {typeof(T).Name} M={m} N={n} K={k} accumulate={accumulate}: element {e} is {actual[e]}, expected {expected[e]}");
        }
    }

    [Theory]
    [InlineData(1, 3, 4)]      // direct
    [InlineData(32, 1, 100)]   // direct, a regression ensemble's output layer
    [InlineData(7, 33, 17)]    // packed, partial tiles
    [InlineData(32, 16, 40)]   // packed
    [InlineData(130, 70, 300)] // packed, split over threads, K blocked
    public void A_strided_product_over_column_blocks_is_bit_for_bit_the_product_of_the_blocks_copied_out(int m, int n, int k)
    {
        var rng = new Rng(33);
        foreach (Variant variant in Enum.GetValues<Variant>())
        {
            foreach (bool accumulate in (bool[])[false, true])
            {
                // Each operand as stored by its variant, (rows, columns), placed at column 3 of rows 5 wider than it.
                (int rows, int columns) aStored = variant == Variant.TransposedA ? (k, m) : (m, k);
                (int rows, int columns) bStored = variant == Variant.TransposedB ? (n, k) : (k, n);
                float[] a = Random<float>(rng, aStored.rows * aStored.columns), b = Random<float>(rng, bStored.rows * bStored.columns);
                float[] c = Random<float>(rng, m * n);
                float[] wideA = Widened(a, aStored.rows, aStored.columns), wideB = Widened(b, bStored.rows, bStored.columns);
                float[] wideC = Widened(c, m, n);
                float[] wideBefore = (float[])wideC.Clone();
                Fast(variant, c, a, b, m, n, k, accumulate);

                int lda = aStored.columns + 5, ldb = bStored.columns + 5;
                (nint aRow, nint aColumn) = variant == Variant.TransposedA ? (1, lda) : (lda, 1);
                (nint bRow, nint bColumn) = variant == Variant.TransposedB ? (1, ldb) : (ldb, 1);
                Gemm.MultiplyStrided<float>(wideC.AsSpan(3), n + 5, wideA.AsSpan(3), aRow, aColumn, wideB.AsSpan(3), bRow, bColumn,
                    m, n, k, accumulate);

                for (int i = 0; i < m; i++)
                {
                    for (int j = -3; j < n + 2; j++)
                    {
                        int at = i * (n + 5) + 3 + j;
                        float expected = j >= 0 && j < n ? c[i * n + j] : wideBefore[at];
                        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(wideC[at]),
                            $"{variant} accumulate={accumulate}: C[{i}, {j}] is {wideC[at]}, expected {expected}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_strided_product_with_a_bias_adds_it_to_every_row_of_its_block()
    {
        float[] a = [1, 2, 3, 4], b = [1, 0, 0, 1], bias = [10, 20];
        float[] c = [-1, -1, -1, -1, -1, -1, -1, -1]; // rows of 4: the block is columns 1 and 2
        Gemm.MultiplyStrided<float>(c.AsSpan(1), 4, a, 2, 1, b, 2, 1, 2, 2, 2, accumulate: false, bias);
        Assert.Equal([-1, 11, 22, -1, -1, 13, 24, -1], c);
    }

    [Fact]
    public void A_strided_product_refuses_operands_its_strides_run_past_and_layouts_it_cannot_read()
    {
        float[] a = new float[12], b = new float[12], c = new float[12];
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyStrided<float>(c, 3, a, 4, 1, b, 3, 1, 4, 3, 4, accumulate: false)); // A's last row past its end
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyStrided<float>(c, 4, a, 3, 1, b, 3, 1, 4, 3, 3, accumulate: false)); // C's last row past its end
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyStrided<float>(c, 2, a, 3, 1, b, 3, 1, 2, 3, 3, accumulate: false)); // C's rows overlap
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyStrided<float>(c, 3, a, 1, 3, b, 1, 3, 3, 3, 3, accumulate: false)); // no contiguous dimension for the dot products
        Assert.Throws<ArgumentException>(() => Gemm.MultiplyStrided<float>(c, 3, a, 3, 1, b, 3, 1, 3, 3, 3, accumulate: false, [1f, 2f])); // short bias
        Gemm.MultiplyStrided<float>(c, 3, a, 3, 1, b, 3, 1, 4, 3, 3, accumulate: false); // exactly fits
    }

    // matrix (rows, columns) -> the same values at column 3 of rows of columns + 5, the other columns random
    private static float[] Widened(float[] matrix, int rows, int columns)
    {
        var rng = new Rng((ulong)(rows * 31 + columns));
        float[] wide = Random<float>(rng, rows * (columns + 5) + 3);
        for (int r = 0; r < rows; r++) matrix.AsSpan(r * columns, columns).CopyTo(wide.AsSpan(r * (columns + 5) + 3));
        return wide;
    }

    private static void Reference<T>(Variant variant, T[] c, T[] a, T[] b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> => Product<T>(variant, fast: false)(c, a, b, m, n, k, accumulate);

    private static void Fast<T>(Variant variant, T[] c, T[] a, T[] b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> => Product<T>(variant, fast: true)(c, a, b, m, n, k, accumulate);

    private delegate void MatrixProduct<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate);

    private static MatrixProduct<T> Product<T>(Variant variant, bool fast) where T : unmanaged, IFloatingPointIeee754<T> =>
        (variant, fast) switch
        {
            (Variant.Plain, true) => Gemm.Multiply,
            (Variant.TransposedA, true) => Gemm.MultiplyTransposedA,
            (Variant.TransposedB, true) => Gemm.MultiplyTransposedB,
            (Variant.Plain, false) => GemmReference.Multiply,
            (Variant.TransposedA, false) => GemmReference.MultiplyTransposedA,
            _ => GemmReference.MultiplyTransposedB,
        };

    private static T[] Random<T>(Rng rng, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked(rng.NextNormal());
        return values;
    }
}
