using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Backprop.Training;
using Backprop.Layers;
using Backprop.IO;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Serialization.Onnx;

/// <summary>Exports a trained network with its preprocessing as an ONNX model (opset 13, plus <c>ai.onnx.ml</c> 1 for categorical inputs).</summary>
/// <remarks>
/// <para>
/// Graph: input <c>features</c> <c>float[N, F]</c> (the numeric raw columns, in order) and one <c>string[N, 1]</c> input per categorical
/// column (named after it) → NaN replaced by each numeric column's <see cref="OnnxInputColumn.MissingValue"/> (<c>IsNaN</c>, <c>Where</c>) → one-hot encoding (<c>ai.onnx.ml.OneHotEncoder</c>, unknown categories become all zeros, then
/// <c>Squeeze</c> of axis 1; a missing-value marker becomes the column's <see cref="OnnxInputColumn.MissingCategory"/>: a second
/// <c>OneHotEncoder</c> over the markers, <c>ReduceSum</c>, <c>Mul</c> by that category's one-hot row, <c>Add</c>) and reassembly in column order (<c>Gather</c>, <c>Concat</c>) → <c>Sub</c> mean, <c>Div</c> scale → per layer <c>Gemm</c> (transB = 1: weights stay <c>(O, I)</c>),
/// <c>Mul</c> by a feature scale's factors, and the activations (<c>Relu</c>, <c>Tanh</c>, <c>Sigmoid</c>, <c>LeakyRelu</c>,
/// <c>Gelu</c> as <c>0.5·x·(1 + erf(x/√2))</c>, <c>Selu</c>, <c>Mish</c> as <c>x·tanh(softplus(x))</c>) →
/// a classifier's <c>probabilities</c> <c>float[N, C]</c> (<c>Softmax</c>) and <c>label</c> <c>int64[N]</c> (<c>ArgMax</c>, first maximum),
/// or a regressor's <c>prediction</c> <c>float[N, O]</c> (<c>Mul</c> target scale, <c>Add</c> target mean).
/// </para>
/// <para>
/// Everything is float32 (ONNX Runtime's common type); a float64 model is rounded to float32 on export. Column order and class
/// labels are in the graph's doc string and in <c>metadata_props</c> (<c>feature_names</c>, <c>numeric_features</c>,
/// <c>categorical_features</c>, <c>class_labels</c>, all JSON).
/// </para>
/// <para>
/// Every value in the graph has a type and shape: shape inference derives them from the inputs, and the graph's
/// <c>value_info</c> declares <c>OneHotEncoder</c>'s output (<c>float[N, 1, K]</c>), which older onnx versions cannot infer. The model passes
/// the ONNX checker with <c>full_check</c> (strict shape inference with type checks), as graph converters and optimizers require.
/// </para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The default-domain opset the graph uses.</summary>
    public const int Opset = 13;

    private const long IrVersion = 8;

    /// <summary>Exports <paramref name="model"/> with <paramref name="options"/> to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="BackpropException">The file could not be written, or the model and options do not fit together.</exception>
    public static void Save<T>(string path, Sequential<T> model, OnnxExportOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] bytes = ToBytes(model, options);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The ONNX model bytes for <paramref name="model"/> and <paramref name="options"/>.</summary>
    /// <exception cref="BackpropException">The model and options do not fit together (widths, label count), or a layer has no ONNX form.</exception>
    public static byte[] ToBytes<T>(Sequential<T> model, OnnxExportOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return ToBytes(ModelFile.Describe(model), ModelFile.LayerTensors(model), options);
    }

    /// <summary>The ONNX model bytes for a network given as plain data: its <paramref name="architecture"/> and its <c>layers.*</c> <paramref name="tensors"/>.</summary>
    /// <exception cref="BackpropException">A tensor is missing or misshapen, the options do not fit, or a layer has no ONNX form.</exception>
    public static byte[] ToBytes(ModelArchitecture architecture, IReadOnlyList<SafeTensor> tensors, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(options);
        Validate(architecture, options);
        var graph = new OnnxGraphBuilder();
        bool usesMl = false;

        // 1. Raw inputs → encoded row (N, I).
        OnnxInputColumn[] numeric = options.Columns.Where(c => !c.IsCategorical && c.Date is null).ToArray();
        if (numeric.Length > 0)
        {
            graph.Input("features", OnnxGraphBuilder.Float, null, numeric.Length);
        }
        string features = "features";
        if (numeric.Any(c => c.MissingValue is not null))
        {
            // Imputation: features = IsNaN(features) ? fill : features, column by column (fill NaN where none was given).
            float[] fill = numeric.Select(c => (float)(c.MissingValue ?? double.NaN)).ToArray();
            string missing = graph.Node("IsNaN", [features]);
            features = graph.Node("Where", [missing, graph.FloatConstant("missing_values", fill, fill.Length), features]);
        }
        string x;
        if (numeric.Length == options.Columns.Count && numeric.All(c => c.Copies == 1))
        {
            x = features;
        }
        else
        {
            usesMl = options.Columns.Any(c => c.IsCategorical); // numeric columns alone, some repeated, need no ML operator
            var pieces = new List<string>();
            int numericIndex = 0;
            for (int c = 0; c < options.Columns.Count; c++)
            {
                OnnxInputColumn column = options.Columns[c];
                if (column.IsCategorical)
                {
                    graph.Input(column.Name, OnnxGraphBuilder.String, null, 1);
                    pieces.Add(AddOneHot(graph, column));
                    continue;
                }
                if (column.Date is { } date)
                {
                    graph.Input(column.Name, OnnxGraphBuilder.Double, null, 1);
                    pieces.Add(AddDate(graph, column.Name, column.MissingValue, date));
                    continue;
                }
                // A run of consecutive numeric columns becomes one Gather of their positions in `features`.
                int runStart = numericIndex;
                while (c < options.Columns.Count && !options.Columns[c].IsCategorical && options.Columns[c].Date is null)
                {
                    numericIndex++;
                    c++;
                }
                c--;
                // A column of several copies (a piecewise-linear encoding) repeats its position.
                long[] indices = Enumerable.Range(runStart, numericIndex - runStart)
                    .SelectMany(i => Enumerable.Repeat((long)i, numeric[i].Copies)).ToArray();
                string indicesName = graph.Int64Constant("columns", indices, indices.Length);
                pieces.Add(graph.Node("Gather", [features, indicesName], attributes: [OnnxGraphBuilder.IntAttribute("axis", 1)]));
            }
            x = pieces.Count == 1 ? pieces[0] : graph.Node("Concat", [.. pieces], attributes: [OnnxGraphBuilder.IntAttribute("axis", 1)]);
        }

        // 2. Standardization.
        int width = architecture.InputFeatures;
        if (options.Mean is not null)
        {
            x = graph.Node("Sub", [x, graph.FloatConstant("mean", ToFloats(options.Mean), width)]);
        }
        if (options.Scale is not null)
        {
            x = graph.Node("Div", [x, graph.FloatConstant("scale", ToFloats(options.Scale), width)]);
        }
        if (options.SmoothClip is not null)
        {
            // z / √(1 + (k·z)²) with k = 1/3 where clipped and 0 elsewhere: one expression for the whole row.
            string k = graph.FloatConstant("clip_factor", [.. options.SmoothClip.Select(c => c != 0 ? 1f / 3 : 0f)], width);
            string kz = graph.Node("Mul", [x, k]);
            string one = graph.FloatConstant("one", [1f], 1);
            string root = graph.Node("Sqrt", [graph.Node("Add", [graph.Node("Mul", [kz, kz]), one])]);
            x = graph.Node("Div", [x, root]);
        }

        if (options.Lower is not null && options.Upper is not null)
        {
            // The bins of a piecewise-linear encoding: max(·, 0) and min(·, 1) where they stop, ±float.MaxValue (no bound) elsewhere.
            x = graph.Node("Max", [x, graph.FloatConstant("lower", [.. options.Lower.Select(v => (float)Math.Max(v, float.MinValue))], width)]);
            x = graph.Node("Min", [x, graph.FloatConstant("upper", [.. options.Upper.Select(v => (float)Math.Min(v, float.MaxValue))], width)]);
        }

        // 3. The network.
        for (int k = 0; k < architecture.Layers.Count; k++)
        {
            x = AddLayer(graph, architecture.Layers[k], k, x, tensors);
        }

        // 4. The task's outputs.
        int outputs = architecture.OutputFeatures / options.Members;
        string? members = null;
        if (options.Members > 1)
        {
            // (N, M·O) → (N, M, O): one row of outputs per member, averaged over axis 1 below.
            members = graph.Node("Reshape", [x, graph.Int64Constant("members_shape", [0, options.Members, outputs], 3)]);
        }
        if (options.ClassLabels is not null && options.SigmoidOutputs)
        {
            AddSigmoidOutputs(graph, options, members ?? x, members is not null, outputs);
        }
        else if (options.ClassLabels is not null && members is not null)
        {
            // The mean of the members' probabilities; the label is its arg-max.
            string each = graph.Node("Softmax", [members], attributes: [OnnxGraphBuilder.IntAttribute("axis", 2)]);
            if (options.Temperature == 1)
            {
                graph.Node("ReduceMean", [each], "probabilities", attributes: [OnnxGraphBuilder.IntsAttribute("axes", [1]), OnnxGraphBuilder.IntAttribute("keepdims", 0)]);
            }
            else
            {
                // softmax(log p̄ / T): p̄ raised to 1/T and normalized (a class whose mean underflowed to 0 stays at 0).
                string mean = graph.Node("ReduceMean", [each], attributes: [OnnxGraphBuilder.IntsAttribute("axes", [1]), OnnxGraphBuilder.IntAttribute("keepdims", 0)]);
                string scaled = graph.Node("Div", [graph.Node("Log", [mean]), graph.FloatConstant("temperature", [(float)options.Temperature], 1)]);
                graph.Node("Softmax", [scaled], "probabilities", attributes: [OnnxGraphBuilder.IntAttribute("axis", -1)]);
            }
            graph.Node("ArgMax", ["probabilities"], "label", attributes: [OnnxGraphBuilder.IntAttribute("axis", 1), OnnxGraphBuilder.IntAttribute("keepdims", 0)]);
            graph.Output("probabilities", OnnxGraphBuilder.Float, null, outputs);
            graph.Output("label", OnnxGraphBuilder.Int64, [null]);
        }
        else if (options.ClassLabels is not null)
        {
            string logits = options.Temperature == 1 ? x : graph.Node("Div", [x, graph.FloatConstant("temperature", [(float)options.Temperature], 1)]);
            graph.Node("Softmax", [logits], "probabilities", attributes: [OnnxGraphBuilder.IntAttribute("axis", -1)]);
            // ArgMax of the logits, as Backprop's Classification.ArgMax: two logits that differ can round to equal probabilities.
            graph.Node("ArgMax", [x], "label", attributes: [OnnxGraphBuilder.IntAttribute("axis", 1), OnnxGraphBuilder.IntAttribute("keepdims", 0)]);
            graph.Output("probabilities", OnnxGraphBuilder.Float, null, outputs);
            graph.Output("label", OnnxGraphBuilder.Int64, [null]);
        }
        else
        {
            if (members is not null)
            {
                x = graph.Node("ReduceMean", [members], attributes: [OnnxGraphBuilder.IntsAttribute("axes", [1]), OnnxGraphBuilder.IntAttribute("keepdims", 0)]);
            }
            if (options.TargetScale is not null)
            {
                x = graph.Node("Mul", [x, graph.FloatConstant("target_scale", ToFloats(options.TargetScale), outputs)]);
            }
            x = options.TargetMean is not null
                ? graph.Node("Add", [x, graph.FloatConstant("target_mean", ToFloats(options.TargetMean), outputs)], "prediction")
                : graph.Node("Identity", [x], "prediction");
            graph.Output("prediction", OnnxGraphBuilder.Float, null, outputs);
        }

        // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6, graph = 7, opset_import = 8,
        // metadata_props = 14; OperatorSetIdProto { domain = 1, version = 2 }; StringStringEntryProto { key = 1, value = 2 }.
        string doc = DocString(architecture, options);
        var model = new ProtoMessage()
            .Int64(1, IrVersion)
            .String(2, "Backprop")
            .String(3, ModelFile.LibraryVersion)
            .String(6, doc)
            .Message(7, graph.Build("backprop", doc))
            .Message(8, new ProtoMessage().String(1, "").Int64(2, Opset));
        if (usesMl)
        {
            model.Message(8, new ProtoMessage().String(1, "ai.onnx.ml").Int64(2, 1));
        }
        foreach ((string key, string value) in Metadata(architecture, options))
        {
            model.Message(14, new ProtoMessage().String(1, key).String(2, value));
        }
        return model.ToArray();
    }

    // A date column's input, days since 1970-01-01 UTC double[N, 1], encoded as the preprocessing encodes it, in double: the
    // scaled days, their bins' positions (bounded with the row, below), the calendar inputs (the weekday one-hot, Monday first,
    // day 0 a Thursday; the sine and cosine of the time of year and of the time of day); then cast to float.
    private static string AddDate(OnnxGraphBuilder graph, string input, double? missingValue, FeatureColumnState date)
    {
        string days = input;
        if (missingValue is double fill)
        {
            days = graph.Node("Where", [graph.Node("IsNaN", [days]), graph.DoubleConstant("missing_days", [fill], 1), days]);
        }
        string Constant(string stem, double value) => graph.DoubleConstant(stem, [value], 1);
        string FractionOf(string x) => graph.Node("Sub", [x, graph.Node("Floor", [x])]);
        var pieces = new List<string> { graph.Node("Div", [graph.Node("Sub", [days, Constant("days_mean", date.Mean)]), Constant("days_scale", date.Scale)]) };
        if (date.Edges is { } edges)
        {
            double[] lows = edges[..^1], widths = [.. edges.Zip(edges.Skip(1), (low, high) => high - low)];
            pieces.Add(graph.Node("Div", [graph.Node("Sub", [days, graph.DoubleConstant("bin_lows", lows, 1, lows.Length)]),
                graph.DoubleConstant("bin_widths", widths, 1, widths.Length)]));
        }
        foreach (CalendarPart part in date.Calendar ?? [])
        {
            if (part == CalendarPart.Weekday)
            {
                // w = floor(days) + 3, then w − 7·floor(w / 7): 0 for Monday to 6 for Sunday, also before 1970.
                string seven = Constant("seven", 7);
                string w = graph.Node("Add", [graph.Node("Floor", [days]), Constant("weekday_of_day_zero", CalendarInputs.WeekdayOfDayZero)]);
                string weekday = graph.Node("Sub", [w, graph.Node("Mul", [seven, graph.Node("Floor", [graph.Node("Div", [w, seven])])])]);
                string hot = graph.Node("Equal", [weekday, graph.DoubleConstant("weekdays", [0, 1, 2, 3, 4, 5, 6], 1, 7)]);
                pieces.Add(graph.Node("Cast", [hot], attributes: [OnnxGraphBuilder.IntAttribute("to", OnnxGraphBuilder.Double)]));
                continue;
            }
            // The angle of the time of year, or of the time of day (the whole days are whole turns).
            string turns = part == CalendarPart.Year ? FractionOf(graph.Node("Div", [days, Constant("days_per_year", CalendarInputs.DaysPerYear)])) : FractionOf(days);
            string angle = graph.Node("Mul", [turns, Constant("two_pi", 2 * Math.PI)]);
            pieces.Add(graph.Node("Sin", [angle]));
            pieces.Add(graph.Node("Cos", [angle]));
        }
        string encoded = pieces.Count == 1 ? pieces[0] : graph.Node("Concat", [.. pieces], attributes: [OnnxGraphBuilder.IntAttribute("axis", 1)]);
        return graph.Node("Cast", [encoded], attributes: [OnnxGraphBuilder.IntAttribute("to", OnnxGraphBuilder.Float)]);
    }

    private static string AddLayer(OnnxGraphBuilder graph, LayerDescription layer, int k, string x, IReadOnlyList<SafeTensor> tensors)
    {
        switch (layer.Type)
        {
            case "Dense":
                string weight = graph.FloatConstant($"layers_{k}_weight", Parameter(tensors, $"layers.{k}.weight", layer.OutputFeatures, layer.InputFeatures), layer.OutputFeatures, layer.InputFeatures);
                string bias = graph.FloatConstant($"layers_{k}_bias", Parameter(tensors, $"layers.{k}.bias", layer.OutputFeatures), layer.OutputFeatures);
                // input (N, I), weight (O, I), bias (O) -> (N, O): Gemm computes input · weightᵀ + bias with transB = 1.
                return graph.Node("Gemm", [x, weight, bias], attributes: [OnnxGraphBuilder.IntAttribute("transB", 1)]);
            case "GroupedDense":
            {
                // One Gemm with the block-diagonal weight (G·O, G·I): group g's (O, I) block on the diagonal, zeros elsewhere.
                int groups = (int)layer.Option("groups", 1), o = layer.OutputFeatures / groups, i = layer.InputFeatures / groups;
                float[] blocks = Parameter(tensors, $"layers.{k}.weight", groups, o, i);
                var full = new float[layer.OutputFeatures * layer.InputFeatures];
                for (int g = 0; g < groups; g++)
                {
                    for (int r = 0; r < o; r++)
                    {
                        blocks.AsSpan((g * o + r) * i, i).CopyTo(full.AsSpan((g * o + r) * layer.InputFeatures + g * i, i));
                    }
                }
                string blockWeight = graph.FloatConstant($"layers_{k}_weight", full, layer.OutputFeatures, layer.InputFeatures);
                string blockBias = graph.FloatConstant($"layers_{k}_bias", Parameter(tensors, $"layers.{k}.bias", groups, o), layer.OutputFeatures);
                return graph.Node("Gemm", [x, blockWeight, blockBias], attributes: [OnnxGraphBuilder.IntAttribute("transB", 1)]);
            }
            case "PeriodicEmbedding":
                return AddPeriodicEmbedding(graph, layer, k, x, tensors);
            case "Relu":
            case "Tanh":
            case "Sigmoid":
                return graph.Node(layer.Type, [x]);
            case "LeakyRelu":
                return graph.Node("LeakyRelu", [x], attributes: [OnnxGraphBuilder.FloatAttribute("alpha", (float)layer.Option("negative_slope", 0.01))]);
            case "Gelu":
                // Gelu is an ONNX op only from opset 20: write the exact form 0.5 · x · (1 + erf(x / √2)).
                string scaled = graph.Node("Div", [x, graph.FloatConstant("sqrt2", [MathF.Sqrt(2f)], 1)]);
                string erf = graph.Node("Erf", [scaled]);
                string onePlus = graph.Node("Add", [erf, graph.FloatConstant("one", [1f], 1)]);
                string times = graph.Node("Mul", [x, onePlus]);
                return graph.Node("Mul", [times, graph.FloatConstant("half", [0.5f], 1)]);
            case "Selu":
                // ONNX's Selu (opset 6) is gamma · (x > 0 ? x : alpha · (exp(x) − 1)): gamma is λ.
                return graph.Node("Selu", [x], attributes:
                    [OnnxGraphBuilder.FloatAttribute("alpha", (float)Selu<float>.Alpha), OnnxGraphBuilder.FloatAttribute("gamma", (float)Selu<float>.Lambda)]);
            case "Mish":
                // Mish is an ONNX op only from opset 18: write x · tanh(softplus(x)) (Softplus and Tanh are opset 1 and 6).
                string softplus = graph.Node("Softplus", [x]);
                return graph.Node("Mul", [x, graph.Node("Tanh", [softplus])]);
            case "FeatureScale":
                // input (N, I) ⊙ weight (I): Mul broadcasts the factors over the rows.
                string factors = graph.FloatConstant($"layers_{k}_weight", Parameter(tensors, $"layers.{k}.weight", layer.InputFeatures), layer.InputFeatures);
                return graph.Node("Mul", [x, factors]);
            case "Dropout":
                // Inference graph: dropout is the identity.
                return x;
            default:
                throw new BackpropException($"Cannot export layer {k} ({layer}) to ONNX: no ONNX form is known for '{layer.Type}'.");
        }
    }

    // input (N, F) → (N, F·(1+D)): per feature [x, V·cos(2π(w·x + b)) + c], as PeriodicEmbedding computes it: the turns are reduced
    // to [−½, ½] (Round) before the angle is formed, as Backprop does, so that many whole turns lose no precision in float.
    private static string AddPeriodicEmbedding(OnnxGraphBuilder graph, LayerDescription layer, int k, string x, IReadOnlyList<SafeTensor> tensors)
    {
        int f = layer.InputFeatures, frequencies = (int)layer.Option("frequencies", 0), d = (int)layer.Option("dimensions", 0);
        float[] v = Parameter(tensors, $"layers.{k}.weight", f, d, frequencies);
        // V (F, D, K) → Vᵀ (F, K, D), the right operand of a batched MatMul.
        var vt = new float[v.Length];
        for (int j = 0; j < f; j++)
        {
            for (int e = 0; e < d; e++)
            {
                for (int i = 0; i < frequencies; i++) vt[(j * frequencies + i) * d + e] = v[(j * d + e) * frequencies + i];
            }
        }
        string w = graph.FloatConstant($"layers_{k}_frequencies", Parameter(tensors, $"layers.{k}.frequencies", f, frequencies), f, frequencies);
        string phases = graph.FloatConstant($"layers_{k}_phases", Parameter(tensors, $"layers.{k}.phases", f, frequencies), f, frequencies);
        string weight = graph.FloatConstant($"layers_{k}_weight_t", vt, f, frequencies, d);
        string bias = graph.FloatConstant($"layers_{k}_bias", Parameter(tensors, $"layers.{k}.bias", f, d), f, d);
        string column = graph.Node("Unsqueeze", [x, graph.Int64Constant($"layers_{k}_axis2", [2], 1)]);                     // (N, F, 1)
        string turns = graph.Node("Add", [graph.Node("Mul", [column, w]), phases]);                                             // (N, F, K)
        string reduced = graph.Node("Sub", [turns, graph.Node("Round", [turns])]);
        string cosines = graph.Node("Cos", [graph.Node("Mul", [reduced, graph.FloatConstant("two_pi", [2 * MathF.PI], 1)])]);
        string rows = graph.Node("Unsqueeze", [cosines, graph.Int64Constant($"layers_{k}_axis2b", [2], 1)]);                   // (N, F, 1, K)
        string mapped = graph.Node("MatMul", [rows, weight]);                                                                   // (N, F, 1, D)
        string embedded = graph.Node("Add", [graph.Node("Squeeze", [mapped, graph.Int64Constant($"layers_{k}_axis2c", [2], 1)]), bias]); // (N, F, D)
        string both = graph.Node("Concat", [column, embedded], attributes: [OnnxGraphBuilder.IntAttribute("axis", 2)]);       // (N, F, 1+D)
        return graph.Node("Reshape", [both, graph.Int64Constant($"layers_{k}_shape", [0, f * (1 + d)], 2)]);
    }

    // input (N, 1) strings -> (N, K) floats: the one-hot encoding of the column's categories, an unknown category all zeros and a
    // missing one (any spelling of a marker) the MissingCategory's, as the training preprocessing encodes them.
    private static string AddOneHot(OnnxGraphBuilder graph, OnnxInputColumn column)
    {
        IReadOnlyList<string> categories = column.Categories!;
        string oneHot = Squeeze(graph, OneHotEncoder(graph, column.Name, categories));
        if (column.MissingCategory is null)
        {
            return oneHot;
        }
        // Missing: a second encoder over the 34 marker spellings (none is a category, Validate checks), summed to a 0/1 flag
        // per row, adds the fill category's one-hot row to the all-zeros row the first encoder gave. Exact in float, and
        // only ai.onnx.ml 1 and opset 13 ops: a string Equal needs opset 19, a string-to-string LabelEncoder ai.onnx.ml 2.
        string markers = Squeeze(graph, OneHotEncoder(graph, column.Name, MissingValues.Spellings));
        string missing = graph.Node("ReduceSum", [markers, graph.Int64Constant("marker_axis", [1], 1)], attributes: [OnnxGraphBuilder.IntAttribute("keepdims", 1)]);
        float[] fill = [.. categories.Select(c => c == column.MissingCategory ? 1f : 0f)];
        string filled = graph.Node("Mul", [missing, graph.FloatConstant("missing_category", fill, fill.Length)]);   // (N, 1) · (K) → (N, K)
        return graph.Node("Add", [oneHot, filled]);
    }

    // OneHotEncoder: (N, 1) strings → (N, 1, K) floats; zeros = 1 maps a string not in `categories` to all zeros.
    private static string OneHotEncoder(OnnxGraphBuilder graph, string input, IReadOnlyList<string> categories)
    {
        string oneHot = graph.Node("OneHotEncoder", [input], domain: "ai.onnx.ml", attributes:
            [OnnxGraphBuilder.StringsAttribute("cats_strings", categories), OnnxGraphBuilder.IntAttribute("zeros", 1)]);
        // Declared, because older onnx checkers (Debian's 1.12 among them) infer no type for OneHotEncoder, and every
        // value after an untyped one is untyped; newer ones infer this same float[N, 1, K].
        graph.Intermediate(oneHot, OnnxGraphBuilder.Float, null, 1, categories.Count);
        return oneHot;
    }

    // (N, 1, K) → (N, K). Squeeze rather than Reshape to [-1, K]: inference then keeps the batch dimension N.
    private static string Squeeze(OnnxGraphBuilder graph, string oneHot) =>
        graph.Node("Squeeze", [oneHot, graph.Int64Constant("onehot_axes", [1], 1)]);

    private static float[] Parameter(IReadOnlyList<SafeTensor> tensors, string name, params int[] shape)
    {
        SafeTensor tensor = tensors.FirstOrDefault(t => t.Name == name)
            ?? throw new BackpropException($"Cannot export to ONNX: tensor '{name}' is missing.");
        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new BackpropException($"Cannot export to ONNX: tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}]; expected [{string.Join(", ", shape)}].");
        }
        return tensor.ToArray<float>();
    }

    private static void Validate(ModelArchitecture architecture, OnnxExportOptions options)
    {
        if (options.Columns.FirstOrDefault(c => c.Copies < 1 || (c.IsCategorical && c.Copies != 1)) is { } copied)
        {
            throw new BackpropException($"Cannot export to ONNX: column '{copied.Name}' has {copied.Copies} copies; a numeric column has at least 1, a categorical one 1.");
        }
        int encoded = options.Columns.Sum(c => c.EncodedWidth);
        if (options.Columns.Count == 0 || encoded != architecture.InputFeatures)
        {
            throw new BackpropException($"Cannot export to ONNX: the input columns encode to {encoded} values; the model takes {architecture.InputFeatures}.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal) { "features" };
        foreach (OnnxInputColumn column in options.Columns.Where(c => c.IsCategorical))
        {
            if (column.MissingValue is not null)
            {
                throw new BackpropException($"Cannot export to ONNX: categorical column '{column.Name}' has a numeric MissingValue; only numeric columns are imputed with one (a categorical column's is its MissingCategory).");
            }
            if (!names.Add(column.Name) || column.Name.StartsWith("bp_", StringComparison.Ordinal) || column.Name is "probabilities" or "label" or "prediction")
            {
                throw new BackpropException($"Cannot export to ONNX: categorical column '{column.Name}' would clash with another graph input or output name.");
            }
            if (column.Categories!.Count == 0 || column.Categories.Distinct(StringComparer.Ordinal).Count() != column.Categories.Count)
            {
                throw new BackpropException($"Cannot export to ONNX: categorical column '{column.Name}' needs at least one category and no duplicates.");
            }
            if (column.MissingCategory is not null && !column.Categories.Contains(column.MissingCategory, StringComparer.Ordinal))
            {
                throw new BackpropException($"Cannot export to ONNX: expected the MissingCategory of column '{column.Name}' to be one of its categories. Received: '{column.MissingCategory}'.");
            }
            if (column.MissingCategory is not null && column.Categories.FirstOrDefault(c => MissingValues.IsMissing(c)) is { } marker)
            {
                throw new BackpropException($"Cannot export to ONNX: categorical column '{column.Name}' has the category '{marker}', which reads as a missing value; a column with a MissingCategory cannot have it.");
            }
        }
        foreach (OnnxInputColumn column in options.Columns.Where(c => c.Date is not null))
        {
            if (column.IsCategorical || column.Copies != 1 || column.Date!.Kind != FeatureKind.Date)
            {
                throw new BackpropException($"Cannot export to ONNX: column '{column.Name}' has a date encoding; expected a column of dates, not categories or copies.");
            }
            if (!names.Add(column.Name) || column.Name.StartsWith("bp_", StringComparison.Ordinal) || column.Name is "probabilities" or "label" or "prediction")
            {
                throw new BackpropException($"Cannot export to ONNX: date column '{column.Name}' would clash with another graph input or output name.");
            }
        }
        if (options.Columns.FirstOrDefault(c => !c.IsCategorical && c.MissingCategory is not null) is { } numeric)
        {
            throw new BackpropException($"Cannot export to ONNX: numeric column '{numeric.Name}' has a MissingCategory; a numeric column's is its MissingValue.");
        }
        CheckLength(options.Mean, architecture.InputFeatures, "means");
        CheckLength(options.Scale, architecture.InputFeatures, "scales");
        CheckLength(options.SmoothClip, architecture.InputFeatures, "clip flags");
        CheckLength(options.Lower, architecture.InputFeatures, "lower bounds");
        CheckLength(options.Upper, architecture.InputFeatures, "upper bounds");
        if ((options.Lower is null) != (options.Upper is null))
        {
            throw new BackpropException("Expected both lower and upper bounds of the encoded columns, or neither.");
        }
        if (options.Members < 1 || architecture.OutputFeatures % options.Members != 0)
        {
            throw new BackpropException($"Cannot export to ONNX: {options.Members} members for a model with {architecture.OutputFeatures} outputs.");
        }
        int outputs = architecture.OutputFeatures / options.Members;
        if (options.ClassLabels is not null && options.ClassLabels.Count != (options.SigmoidOutputs && outputs == 1 ? 2 : outputs))
        {
            throw new BackpropException($"Cannot export to ONNX: {options.ClassLabels.Count} class labels for a model with {outputs} outputs.");
        }
        CheckLength(options.TargetMean, outputs, "target means");
        CheckLength(options.TargetScale, outputs, "target scales");
        if (!(options.Temperature > 0) || !float.IsFinite((float)options.Temperature) || (options.ClassLabels is null && options.Temperature != 1))
        {
            throw new BackpropException($"Cannot export to ONNX: expected a positive temperature, and 1 for a regressor. Received: {options.Temperature}.");
        }
    }

    // Sigmoid logits (N, O), or (N, M, O) for an ensemble -> probabilities and label, as TabularModel computes them: the members'
    // sigmoids averaged, the temperature applied to the logit of the mean, then [1 − p, p] for one output or p normalized.
    private static void AddSigmoidOutputs(OnnxGraphBuilder graph, OnnxExportOptions options, string logits, bool ensemble, int outputs)
    {
        string p = graph.Node("Sigmoid", [logits]);
        if (ensemble)
        {
            p = graph.Node("ReduceMean", [p], attributes: [OnnxGraphBuilder.IntsAttribute("axes", [1]), OnnxGraphBuilder.IntAttribute("keepdims", 0)]);
        }
        string one = graph.FloatConstant("one", [1f], 1);
        if (options.Temperature != 1)
        {
            string logit = graph.Node("Sub", [graph.Node("Log", [p]), graph.Node("Log", [graph.Node("Sub", [one, p])])]);
            p = graph.Node("Sigmoid", [graph.Node("Div", [logit, graph.FloatConstant("temperature", [(float)options.Temperature], 1)])]);
        }
        if (outputs == 1)
        {
            graph.Node("Concat", [graph.Node("Sub", [one, p]), p], "probabilities", attributes: [OnnxGraphBuilder.IntAttribute("axis", 1)]);
        }
        else
        {
            string sum = graph.Node("ReduceSum", [p, graph.Int64Constant("class_axis", [1], 1)], attributes: [OnnxGraphBuilder.IntAttribute("keepdims", 1)]);
            graph.Node("Div", [p, sum], "probabilities");
        }
        graph.Node("ArgMax", ["probabilities"], "label", attributes: [OnnxGraphBuilder.IntAttribute("axis", 1), OnnxGraphBuilder.IntAttribute("keepdims", 0)]);
        graph.Output("probabilities", OnnxGraphBuilder.Float, null, outputs == 1 ? 2 : outputs);
        graph.Output("label", OnnxGraphBuilder.Int64, [null]);
    }

    private static void CheckLength(IReadOnlyList<double>? values, int expected, string what)
    {
        if (values is not null && values.Count != expected)
        {
            throw new BackpropException($"Cannot export to ONNX: expected {expected} {what}. Received: {values.Count}.");
        }
    }

    private static float[] ToFloats(IReadOnlyList<double> values) => values.Select(v => (float)v).ToArray();

    private static string DocString(ModelArchitecture architecture, OnnxExportOptions options)
    {
        var doc = new StringBuilder();
        doc.Append(CultureInfo.InvariantCulture, $"Backprop {ModelFile.LibraryVersion} model: {architecture.InputFeatures} inputs → {string.Join(" → ", architecture.Layers)}, {architecture.ParameterCount:N0} parameters.");
        string[] numeric = options.Columns.Where(c => !c.IsCategorical && c.Date is null).Select(c => c.Name).ToArray();
        if (numeric.Length > 0)
        {
            doc.Append(CultureInfo.InvariantCulture, $" Input 'features' float[N, {numeric.Length}], raw (unscaled) columns in this order: {string.Join(", ", numeric)}; NaN marks a missing value.");
        }
        foreach (OnnxInputColumn column in options.Columns.Where(c => c.Date is not null))
        {
            doc.Append(CultureInfo.InvariantCulture,
                $" Input '{column.Name}' double[N, 1], dates as days since 1970-01-01 UTC, the time of day as the fraction (2024-03-01T12:00:00Z is 19783.5; a time without a zone is UTC); NaN marks a missing value.");
        }
        foreach (OnnxInputColumn column in options.Columns.Where(c => c.IsCategorical))
        {
            string missing = column.MissingCategory is null ? ""
                : $"; a missing value ({string.Join(", ", MissingValues.Markers.Select(m => m.Length == 0 ? "empty" : m))}, any case) as '{column.MissingCategory}'";
            doc.Append(CultureInfo.InvariantCulture, $" Input '{column.Name}' string[N, 1], one of: {string.Join(", ", column.Categories!)} (anything else encodes as all zeros{missing}).");
        }
        doc.Append(options.ClassLabels is not null
            ? $" Outputs 'probabilities' float[N, {options.ClassLabels.Count}] and 'label' int64[N], an index into the classes: {string.Join(", ", options.ClassLabels)}."
            : $" Output 'prediction' float[N, {architecture.OutputFeatures / options.Members}], in the target's units.");
        if (options.Members > 1) doc.Append(CultureInfo.InvariantCulture, $" An ensemble of {options.Members} networks trained as one; the outputs average theirs.");
        if (options.Temperature != 1) doc.Append(CultureInfo.InvariantCulture, $" Probabilities calibrated by temperature scaling (T = {options.Temperature:G4}).");
        if (options.Description is not null) doc.Append(' ').Append(options.Description);
        return doc.ToString();
    }

    private static IEnumerable<(string Key, string Value)> Metadata(ModelArchitecture architecture, OnnxExportOptions options)
    {
        yield return ("feature_names", JsonArray(options.Columns.Select(c => c.Name)));
        yield return ("numeric_features", JsonArray(options.Columns.Where(c => !c.IsCategorical && c.Date is null).Select(c => c.Name)));
        if (options.Columns.Any(c => c.Date is not null)) yield return ("date_features", JsonArray(options.Columns.Where(c => c.Date is not null).Select(c => c.Name)));
        var categorical = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(categorical, JsonText.WriterOptions))
        {
            json.WriteStartObject();
            foreach (OnnxInputColumn column in options.Columns.Where(c => c.IsCategorical))
            {
                json.WriteStartArray(column.Name);
                foreach (string category in column.Categories!) json.WriteStringValue(category);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        yield return ("categorical_features", Encoding.UTF8.GetString(categorical.WrittenSpan));
        yield return ("task", options.ClassLabels is null ? "regression" : "classification");
        if (options.ClassLabels is not null) yield return ("class_labels", JsonArray(options.ClassLabels));
        yield return ("architecture", architecture.ToJson());
    }

    private static string JsonArray(IEnumerable<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonText.WriterOptions))
        {
            json.WriteStartArray();
            foreach (string value in values) json.WriteStringValue(value);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
