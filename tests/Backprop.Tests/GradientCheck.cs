using Backprop.Layers;
using Backprop.Losses;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests;

/// <summary>Finite-difference checks of backward passes, in float64.</summary>
/// <remarks>
/// For a layer, the scalar checked is <c>L = Σ output ⊙ R</c> with a fixed random <c>R</c>, so <c>doutput = R</c> and every
/// element of the analytical <c>dinput</c> and parameter gradient must match the central difference <c>(L(θ+h) − L(θ−h)) / 2h</c>.
/// </remarks>
internal static class GradientCheck
{
    public const double Step = 1e-6;

    /// <summary>Relative error <c>|a − n| / max(|a| + |n|, floor)</c>: robust to gradients that are exactly zero.</summary>
    public static double RelativeError(double analytical, double numerical, double floor = 1e-8) =>
        Math.Abs(analytical - numerical) / Math.Max(Math.Abs(analytical) + Math.Abs(numerical), floor);

    /// <summary>Checks <c>dinput</c> and the parameter gradients of <paramref name="layer"/>; returns the largest relative error.</summary>
    /// <param name="layer">The layer under test.</param>
    /// <param name="inputFeatures">Its input width.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="seed">Seed of the parameters, input and <c>R</c>.</param>
    /// <param name="inputDraw">How to draw each input value (default standard normal).</param>
    /// <param name="trainingSeed">
    /// When given, every forward runs in training mode with a fresh generator of this seed, so random layers (dropout) draw the
    /// same mask each time and the objective stays a fixed function of the input.
    /// </param>
    public static double Layer(ILayer<double> layer, int inputFeatures, int batch, ulong seed, Func<Rng, double>? inputDraw = null,
        ulong? trainingSeed = null)
    {
        var rng = new Rng(seed);
        var model = new Sequential<double>(inputFeatures, layer);
        model.ResetParameters(rng);
        int outputs = model.OutputFeatures;
        var input = new double[batch * inputFeatures];
        for (int i = 0; i < input.Length; i++) input[i] = inputDraw?.Invoke(rng) ?? rng.NextNormal();
        var r = new double[batch * outputs];
        for (int i = 0; i < r.Length; i++) r[i] = rng.NextNormal();

        double Objective()
        {
            var outputBuffer = new double[batch * outputs];
            layer.Forward(outputBuffer, input, batch, Training());
            double sum = 0;
            for (int i = 0; i < outputBuffer.Length; i++) sum += outputBuffer[i] * r[i];
            return sum;
        }

        Rng? Training() => trainingSeed is { } s ? new Rng(s) : null;

        var output = new double[batch * outputs];
        layer.Forward(output, input, batch, Training());
        var dinput = new double[input.Length];
        model.ZeroGradients();
        layer.Backward(dinput, r, input, output, batch);

        double worst = 0;
        worst = Math.Max(worst, Compare(input, dinput, Objective));
        worst = Math.Max(worst, Compare(model.Parameters, model.Gradients, Objective));
        return worst;
    }

    /// <summary>Checks the gradient of <paramref name="loss"/> with respect to its input; returns the largest relative error.</summary>
    public static double Loss(ILoss<double> loss, double[] output, double[] target, double[] weight, int batch)
    {
        var doutput = new double[output.Length];
        loss.ForwardBackward(doutput, output, target, weight, batch);
        return Compare(output, doutput, () => loss.Forward(output, target, weight, batch));
    }

    /// <summary>Checks every parameter gradient of a whole model under a loss; returns the largest relative error.</summary>
    public static double Model(Sequential<double> model, ILoss<double> loss, double[] input, double[] target, int batch)
    {
        var workspace = model.CreateWorkspace(batch);
        model.ZeroGradients();
        ReadOnlySpan<double> output = model.Forward(workspace, input, batch);
        loss.ForwardBackward(workspace.LossGradient(batch), output, target, [], batch);
        model.Backward(workspace, input, batch);
        double[] analytical = (double[])model.Gradients.Clone();
        return Compare(model.Parameters, analytical, () => loss.Forward(model.Forward(workspace, input, batch), target, [], batch));
    }

    /// <summary>Perturbs each element of <paramref name="values"/> and compares the central difference with <paramref name="analytical"/>.</summary>
    public static double Compare(double[] values, double[] analytical, Func<double> objective)
    {
        double worst = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + Step;
            double plus = objective();
            values[i] = saved - Step;
            double minus = objective();
            values[i] = saved;
            double numerical = (plus - minus) / (2 * Step);
            worst = Math.Max(worst, RelativeError(analytical[i], numerical));
        }
        return worst;
    }
}
