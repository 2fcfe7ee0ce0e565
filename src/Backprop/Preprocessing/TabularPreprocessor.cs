using System.Globalization;
using System.Numerics;
using Backprop.Data;
using Backprop.Tensors;

namespace Backprop.Preprocessing;

/// <summary>
/// Turns a raw <see cref="Table"/> into a <see cref="Dataset{T}"/>: numeric features imputed and standardized, boolean
/// features as 0/1, categorical features one-hot encoded, the target as a class index (or its value, for regression).
/// </summary>
/// <remarks>
/// <para>
/// Fitted on training rows only (<see cref="Fit"/>); everything it learned is <see cref="State"/>, plain data that is saved with
/// the model, so that prediction applies exactly the same transform to new files.
/// </para>
/// <para>
/// Column kinds are inferred: numbers are numeric; <c>true</c>/<c>false</c> are boolean; other strings (and numeric columns
/// named in <see cref="TabularOptions.Categorical"/>) are categorical; a column that identifies rows (a string column whose
/// values are all or mostly distinct, an integer column that numbers the rows or is named like an id) is dropped, unless named
/// in <see cref="TabularOptions.Keep"/>, as is a column with the same value in every row (from
/// <see cref="TabularOptions.MinRowsForIdentifier"/> rows on); a column with no value at all is dropped. Each drop, each
/// imputation, each skipped row and how the task was inferred is reported in <see cref="Notes"/>.
/// </para>
/// </remarks>
public sealed class TabularPreprocessor
{
    private readonly OneHotEncoder?[] _encoders;
    private readonly LabelEncoder? _labels;

    /// <summary>Recreates a fitted preprocessor from its <paramref name="state"/> (for example, loaded with a model).</summary>
    /// <exception cref="BackpropException">The state is incomplete or inconsistent.</exception>
    public TabularPreprocessor(TabularPreprocessorState state) : this(state, [], 0) { }

    /// <summary>The rows <see cref="Fit"/> fitted this preprocessing on (those given with a target); 0 when recreated from a state.</summary>
    internal int FittedRows { get; }

    private TabularPreprocessor(TabularPreprocessorState state, IReadOnlyList<string> noteTemplates, int fittedRows)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Validate();
        State = state;
        NoteTemplates = noteTemplates;
        FittedRows = fittedRows;
        Notes = noteTemplates.Select(OptionPlaceholders.Plain).ToArray();
        _encoders = state.Features.Select(f => f.Kind == FeatureKind.Categorical ? new OneHotEncoder(f.Categories!) : null).ToArray();
        _labels = state.Target.Task == TaskKind.Classification ? new LabelEncoder(state.Target.Classes!) : null;
        FeatureNames = InputNames(state.Features);
    }

    // Whether every value equals the first. A loop, not Array.TrueForAll over doubles: the framework's generic code over value
    // types is compiled at first use in every run (docs/performance.md, "Start-up").
    private static bool Constant(double[] values)
    {
        foreach (double value in values)
        {
            if (value != values[0]) return false;
        }
        return true;
    }

    // The name of every input, in order: a category's "column=value", a number's column name, then its bins' and calendar parts'.
    // A loop, not LINQ's Range(…).Select(…) over the bins: LINQ over int is compiled at first use in every run
    // (docs/performance.md, "Start-up").
    private static string[] InputNames(FeatureColumnState[] features)
    {
        var names = new List<string>();
        foreach (FeatureColumnState f in features)
        {
            if (f.Kind == FeatureKind.Categorical)
            {
                foreach (string category in f.Categories!) names.Add($"{f.Name}={category}");
                continue;
            }
            names.Add(f.Name);
            for (int t = 1; t <= f.Bins; t++) names.Add($"{f.Name} (bin {t} of {f.Bins})");
            if (f.Calendar is { } parts) names.AddRange(CalendarInputs.Names(f.Name, parts));
        }
        return [.. names];
    }

    /// <summary>Everything fitted, as plain serializable data.</summary>
    public TabularPreprocessorState State { get; }

    /// <summary>What <see cref="Fit"/> decided that the user should know: dropped columns, imputed columns, skipped rows, the task.</summary>
    /// <remarks>An option that changes a decision is named by its <see cref="TabularOptions"/> property, such as <c>Keep</c>.</remarks>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The <see cref="Notes"/> with options written <c>{Name}</c>, for a front end to name them its way.</summary>
    internal IReadOnlyList<string> NoteTemplates { get; }

    /// <summary>One name per model input: the column name, or <c>column=category</c> for a one-hot input.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of model inputs.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>Classification or regression.</summary>
    public TaskKind Task => State.Target.Task;

    /// <summary>The class labels, index by index, for classification; <see langword="null"/> for regression.</summary>
    public IReadOnlyList<string>? ClassNames => State.Target.Classes;

    /// <summary>One line: <c>TabularPreprocessor(4 columns → 6 inputs; target 'kind': 2 classes)</c>.</summary>
    public override string ToString() =>
        $"TabularPreprocessor({Plural.Of(State.Features.Length, "column")} → {Plural.Of(FeatureCount, "input")}; target '{State.Target.Name}': " +
        (ClassNames is null ? "regression)" : $"{ClassNames.Count} classes)");

    /// <summary>Options to read a file to transform: every column that was not numeric in training is read as text.</summary>
    /// <remarks>
    /// Needed because a new file may hold only number-like values in a categorical column (say zip codes), and
    /// reading them as numbers would lose their spelling.
    /// </remarks>
    public CsvReadOptions ReadOptions(char? delimiter = null)
    {
        var text = State.Features.Where(f => f.Kind != FeatureKind.Numeric).Select(f => f.Name).ToList();
        if (!State.Target.Numeric) text.Add(State.Target.Name);
        return new CsvReadOptions(delimiter, text);
    }

    /// <summary>Fits the preprocessing to the training rows of <paramref name="table"/>.</summary>
    /// <param name="table">The training data, read with <see cref="TabularOptions.ReadOptions"/>.</param>
    /// <param name="options">Target, features, categorical columns, missing values; defaults when <see langword="null"/>.</param>
    /// <param name="rows">The training rows (for example without a validation split); every row when <see langword="null"/>.</param>
    /// <exception cref="BackpropException">A named column does not exist, the target has one class, a value is not finite, ….</exception>
    public static TabularPreprocessor Fit(Table table, TabularOptions? options = null, IReadOnlyList<int>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new TabularOptions();
        if (options.PiecewiseLinearBins != 0
            && options.PiecewiseLinearBins is < TabularOptions.MinPiecewiseLinearBins or > TabularOptions.MaxPiecewiseLinearBins)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PiecewiseLinearBins,
                $"Expected {nameof(TabularOptions.PiecewiseLinearBins)} 0 or from {TabularOptions.MinPiecewiseLinearBins} to {TabularOptions.MaxPiecewiseLinearBins}.");
        }
        if (table.Columns.Count == 1)
        {
            throw DataErrors.OnlyOneColumn(table.Source, table.ColumnNames[0]);
        }
        var notes = new List<string>();
        string targetName = options.Target ?? table.ColumnNames[^1];
        TableColumn target = table.Find(targetName) ?? throw DataErrors.ColumnNotFound(table.Source, $"a target column '{targetName}'", targetName, table.ColumnNames);
        var categorical = new HashSet<string>(Resolve(table, options.Categorical, "a categorical column").Select(c => c.Name), StringComparer.Ordinal);
        var drop = new HashSet<string>(Resolve(table, options.Drop, "a column to drop").Select(c => c.Name), StringComparer.Ordinal);
        List<TableColumn> explicitFeatures = Resolve(table, options.Features, "a feature column");
        List<TableColumn> kept = Resolve(table, options.Keep, "a column to keep");
        if (explicitFeatures.Contains(target) || kept.Contains(target) || drop.Contains(target.Name))
        {
            string role = explicitFeatures.Contains(target) ? "the features" : kept.Contains(target) ? "the columns to keep" : "the columns to drop";
            throw new BackpropException($"Expected {role} to name columns other than the target '{target.Name}'. Received: '{target.Name}' among them.");
        }
        if (kept.FirstOrDefault(c => drop.Contains(c.Name)) is { } both)
        {
            throw new BackpropException($"Expected a column either to drop or to keep. Received: '{both.Name}' in both.");
        }
        List<TableColumn> candidates = (options.Features is null ? table.Columns.Where(c => c != target) : explicitFeatures)
            .Where(c => !drop.Contains(c.Name))
            .ToList();
        ThrowOnUnsupported(table, candidates.Prepend(target));
        if (options.Missing == MissingValueStrategy.Error)
        {
            ThrowOnFirstMissing(table, candidates.Append(target));
        }

        int[] training = WithTarget(SelectRows(table, rows), target);
        int skipped = (rows?.Count ?? table.RowCount) - training.Length;
        if (training.Length == 0)
        {
            throw new BackpropException($"Expected rows with a value in the target column '{target.Name}'. Received: every one missing ({table.Source}).");
        }
        if (skipped > 0)
        {
            notes.Add($"skipped {skipped} row(s) whose target {Quoted(target)} is missing");
        }
        TargetColumnState targetState = FitTarget(table, target, training, options, notes);

        var features = new List<FeatureColumnState>();
        // Three column-sized buffers shared by all numeric columns, rather than three per column.
        var scratch = new double[3 * training.Length];
        var named = new HashSet<string>(explicitFeatures.Concat(kept).Select(c => c.Name).Concat(categorical), StringComparer.Ordinal);
        var identifiers = new List<(TableColumn Column, string Reason)>();
        var constants = new List<string>();
        foreach (TableColumn column in candidates)
        {
            bool isExplicit = named.Contains(column.Name);
            if (column.IsNumeric && !isExplicit && IdentifierColumns.NumericReason(column, options.MinRowsForIdentifier) is { } reason)
            {
                identifiers.Add((column, reason));
                continue;
            }
            // From as many rows as an identifier needs: in a file of a row or two every column is constant, and says little.
            if (!isExplicit && training.Length >= options.MinRowsForIdentifier && ConstantValue(table, column, training, out bool someMissing) is { } value)
            {
                notes.Add($"dropped column {Quoted(column)}: the same value ({OptionPlaceholders.Escape(value)}) in every row" +
                    $"{(someMissing ? " that has one" : "")}; to use it as a feature: {{Keep}}");
                constants.Add(column.Name);
                continue;
            }
            FeatureColumnState? feature = column.IsNumeric && !categorical.Contains(column.Name)
                ? FitNumeric(table, column, training, options.Missing, options.Scaling, options.PiecewiseLinearBins, scratch, notes)
                : FitText(table, column, training, options, isExplicit, categorical.Contains(column.Name), scratch, notes);
            if (feature is not null) features.Add(feature);
        }
        foreach ((TableColumn column, string reason) in identifiers)
        {
            if (features.Count == 0 && identifiers.Count == 1)
            {
                // The one column there is: a file of x and y where x counts up is a curve to fit, not a table with a row number.
                notes.Add($"column {Quoted(column)} looks like an identifier ({reason}), but it is the only feature: kept");
                features.Add(FitNumeric(table, column, training, options.Missing, options.Scaling, options.PiecewiseLinearBins, scratch, notes)!);
            }
            else
            {
                notes.Add($"dropped column {Quoted(column)}: {reason}; to use it as a feature: {{Keep}}");
            }
        }
        if (features.Count == 0 && constants.Count > 0)
        {
            throw BackpropException.SuggestingOptions(
                $"Expected at least one feature column whose value varies besides the target '{OptionPlaceholders.Escape(target.Name)}'. Received: the same value in every row of " +
                $"{OptionPlaceholders.Escape(DataErrors.List(constants))} ({OptionPlaceholders.Escape(table.Source)}); to use them anyway: {{Keep}}.");
        }
        if (features.Count == 0)
        {
            // The notes say what became of each column (dropped, and why): with no model to show them beside, the error does.
            throw BackpropException.SuggestingOptions(
                $"Expected at least one usable feature column besides the target '{OptionPlaceholders.Escape(target.Name)}'. Received: none " +
                $"({OptionPlaceholders.Escape(table.Source)} columns: {OptionPlaceholders.Escape(DataErrors.List(table.ColumnNames))})" +
                $"{(notes.Count == 0 ? "" : ": " + string.Join("; ", notes))}.");
        }
        return new TabularPreprocessor(new TabularPreprocessorState(TabularPreprocessorState.VersionFor(features), options.Missing, [.. features], targetState, options.Scaling),
            ImputationNotes.Summarize(notes), training.Length);
    }

    /// <summary>The model inputs <c>(N, F)</c> of the <paramref name="rows"/> of <paramref name="table"/> (all rows by default); no target needed.</summary>
    /// <param name="table">Data read with <see cref="ReadOptions"/>.</param>
    /// <param name="rows">Rows to transform, in that order; every row when <see langword="null"/>.</param>
    /// <param name="warnings">Receives one line per column with categories not seen in training (encoded as all zeros).</param>
    /// <param name="notes">Receives one line per column whose missing cells were imputed (with what).</param>
    /// <exception cref="BackpropException">A feature column is absent, or a cell does not fit its column (with line, column, value).</exception>
    public Matrix<T> TransformFeatures<T>(Table table, IReadOnlyList<int>? rows = null, ICollection<string>? warnings = null,
        ICollection<string>? notes = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        return Features<T>(table, SelectRows(table, rows), warnings, notes);
    }

    /// <summary>
    /// The <paramref name="rows"/> of <paramref name="table"/> (all rows by default) as a data set: inputs and target.
    /// Rows whose target is missing are skipped, with a warning.
    /// </summary>
    /// <inheritdoc cref="TransformFeatures" path="/param"/>
    /// <exception cref="BackpropException">
    /// The target or a feature column is absent, a cell does not fit its column, or a class was not seen in training.
    /// </exception>
    public Dataset<T> Transform<T>(Table table, IReadOnlyList<int>? rows = null, ICollection<string>? warnings = null,
        ICollection<string>? notes = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        TargetColumnState targetState = State.Target;
        TableColumn target = table.Find(targetState.Name)
            ?? throw DataErrors.ColumnNotFound(table.Source, $"the target column '{targetState.Name}'", targetState.Name, table.ColumnNames);
        ThrowOnUnsupported(table, [target]);
        int[] all = SelectRows(table, rows);
        int[] selected = WithTarget(all, target);
        if (selected.Length < all.Length)
        {
            warnings?.Add($"skipped {all.Length - selected.Length} row(s) whose target '{target.Name}' is missing");
        }
        Matrix<T> features = Features<T>(table, selected, warnings, notes);
        var targets = new Matrix<T>(selected.Length, 1);
        if (_labels is null)
        {
            CheckUnit(table, target, targetState.Unit);
            var cells = new NumericCells(table, target, "the regression target");
            for (int i = 0; i < selected.Length; i++)
            {
                T value = T.CreateChecked(cells[selected[i]]);
                if (!T.IsFinite(value))
                {
                    // Finite in the file (an infinite cell is refused when read), beyond float32 here: training would only
                    // report a divergence, so the range itself is the error.
                    throw new BackpropException(
                        $"Expected regression targets within the range of {typeof(T).Name} (±{double.CreateChecked(T.BitDecrement(T.PositiveInfinity)):G3}). Received: " +
                        $"{cells[selected[i]].ToString("G6", CultureInfo.InvariantCulture)} in the target column '{target.Name}' at {table.LocationOf(selected[i])}; " +
                        "train in double precision (--precision f64), or rescale the target.");
                }
                targets[i, 0] = value;
            }
        }
        else
        {
            int[] classOf = ClassIndices(table, target, selected);
            for (int i = 0; i < selected.Length; i++) targets[i, 0] = T.CreateChecked(classOf[i]);
        }
        return new Dataset<T>(features, targets, FeatureNames, ClassNames);
    }

    private Matrix<T> Features<T>(Table table, int[] rows, ICollection<string>? warnings, ICollection<string>? notes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        FeatureColumnState[] features = State.Features;
        TableColumn[] columns = features
            .Select(f => table.Find(f.Name) ?? throw DataErrors.ColumnNotFound(table.Source, $"the column '{f.Name}' (a feature in training)", f.Name, table.ColumnNames))
            .ToArray();
        ThrowOnUnsupported(table, columns);
        int width = FeatureCount;
        var result = new Matrix<T>(rows.Length, width);
        T[] data = result.Data;
        int offset = 0;
        for (int f = 0; f < features.Length; f++)
        {
            FeatureColumnState feature = features[f];
            TableColumn column = columns[f];
            if (State.Missing == MissingValueStrategy.Error)
            {
                ThrowOnFirstMissing(table, [column]);
            }
            switch (feature.Kind)
            {
                case FeatureKind.Numeric:
                {
                    CheckUnit(table, column, feature.Unit);
                    var cells = new NumericCells(table, column, "numeric in the training data");
                    int imputed = 0;
                    for (int i = 0; i < rows.Length; i++)
                    {
                        double value = cells[rows[i]];
                        if (double.IsNaN(value))
                        {
                            value = feature.Fill;
                            imputed++;
                        }
                        EncodeNumeric(value, feature, data.AsSpan(i * width + offset, feature.Width));
                    }
                    Imputed(notes, column, imputed, $"the training {(State.Missing == MissingValueStrategy.Median ? "median" : "mean")} {feature.Fill.ToString("G6", CultureInfo.InvariantCulture)}");
                    break;
                }
                case FeatureKind.Date:
                {
                    var cells = new TextCells(column);
                    double[] days = LevelDays(column, feature.Order);
                    int imputed = 0;
                    for (int i = 0; i < rows.Length; i++)
                    {
                        int code = cells.Code(rows[i]);
                        double value = code < 0 ? double.NaN : days[code];
                        if (code >= 0 && double.IsNaN(value))
                        {
                            string like = feature.Order is { } order
                                ? $"{DayMonthDates.Example(order)}, the {(order == DateOrder.DayFirst ? "day" : "month")} first,"
                                : "2024-03-01 or 2024-03-01T12:30:00";
                            throw new BackpropException(
                                $"Expected a date such as {like} in column '{column.Name}' (dates in the training data). Received: '{DataErrors.Quote(column.Levels[code])}' at {table.LocationOf(rows[i])}.");
                        }
                        if (code < 0)
                        {
                            value = feature.Fill;
                            imputed++;
                        }
                        EncodeNumeric(value, feature, data.AsSpan(i * width + offset, feature.Width));
                    }
                    Imputed(notes, column, imputed, $"the training {(State.Missing == MissingValueStrategy.Median ? "median" : "mean")} {IsoDates.Format(feature.Fill)}");
                    break;
                }
                case FeatureKind.Boolean:
                {
                    var cells = new TextCells(column);
                    int[] truth = cells.MapLevels(level => ParseBoolean(level) is bool b ? (b ? 1 : 0) : -1);
                    int imputed = 0;
                    for (int i = 0; i < rows.Length; i++)
                    {
                        int code = cells.Code(rows[i]);
                        if (code < 0) imputed++;
                        int value = code < 0 ? (int)feature.Fill : truth[code];
                        if (value < 0)
                        {
                            throw new BackpropException(
                                $"Expected true or false in column '{column.Name}' (boolean in the training data). Received: '{DataErrors.Quote(column.GetText(rows[i])!)}' at {table.LocationOf(rows[i])}.");
                        }
                        data[i * width + offset] = T.CreateChecked(value);
                    }
                    Imputed(notes, column, imputed, $"the most frequent value in training, {(feature.Fill == 1 ? "true" : "false")}");
                    break;
                }
                default:
                {
                    OneHotEncoder encoder = _encoders[f]!;
                    var cells = new TextCells(column);
                    int[] category = cells.MapLevels(encoder.IndexOf);
                    int fill = encoder.IndexOf(feature.FillCategory!), unknown = 0, example = -1, imputed = 0;
                    for (int i = 0; i < rows.Length; i++)
                    {
                        int code = cells.Code(rows[i]);
                        if (code < 0) imputed++;
                        int index = code < 0 ? fill : category[code];
                        if (index < 0 && unknown++ == 0) example = code;
                        encoder.Encode(data.AsSpan(i * width + offset, encoder.Categories.Count), index);
                    }
                    if (unknown > 0)
                    {
                        warnings?.Add($"column '{column.Name}': {unknown} row(s) with a category not seen in training " +
                            $"(such as '{DataErrors.Quote(column.Levels[example])}') encoded as all zeros");
                    }
                    Imputed(notes, column, imputed, $"the most frequent value in training, '{DataErrors.Quote(feature.FillCategory!)}'");
                    break;
                }
            }
            offset += feature.Width;
        }
        return result;
    }

    /// <summary>
    /// The model's inputs <c>(N, <see cref="FeatureCount"/>)</c> for raw values <c>(N, F)</c> of the feature columns in their
    /// training order, numbers and booleans (nonzero is true) with NaN for a missing value: the same inputs, to the bit, as
    /// <see cref="TransformFeatures{T}(Table, IReadOnlyList{int}?, ICollection{string}?, ICollection{string}?)"/> gives for a table
    /// of those values, without building one. <see langword="null"/> where only the table's path reports the input: a categorical
    /// or date column, an infinite value, or a missing one under <see cref="MissingValueStrategy.Error"/>.
    /// </summary>
    internal Matrix<T>? EncodeNumbers<T>(Matrix<T> raw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        FeatureColumnState[] features = State.Features;
        if (raw.Columns != features.Length || features.Any(f => f.Kind is FeatureKind.Categorical or FeatureKind.Date))
        {
            return null;
        }
        int width = FeatureCount;
        var result = new Matrix<T>(raw.Rows, width);
        T[] data = result.Data;
        for (int r = 0; r < raw.Rows; r++)
        {
            int offset = r * width;
            for (int f = 0; f < features.Length; f++)
            {
                FeatureColumnState feature = features[f];
                double value = double.CreateChecked(raw[r, f]);
                if (double.IsInfinity(value) || (double.IsNaN(value) && State.Missing == MissingValueStrategy.Error))
                {
                    return null;
                }
                if (feature.Kind == FeatureKind.Boolean)
                {
                    data[offset] = double.IsNaN(value) ? T.CreateChecked((int)feature.Fill) : value != 0 ? T.One : T.Zero;
                }
                else
                {
                    EncodeNumeric(double.IsNaN(value) ? feature.Fill : value, feature, data.AsSpan(offset, feature.Width));
                }
                offset += feature.Width;
            }
        }
        return result;
    }

    /// <summary>A value of a numeric feature column as the model sees it: standardized, or robustly scaled and smoothly clipped.</summary>
    /// <exception cref="ArgumentException">The column is not numeric.</exception>
    public double ScaleNumber(FeatureColumnState feature, double value)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.Kind is not (FeatureKind.Numeric or FeatureKind.Date))
        {
            throw new ArgumentException($"Expected a numeric or date column. Received: '{feature.Name}', {feature.Kind}.", nameof(feature));
        }
        return ScaleNumeric(value, feature);
    }

    /// <summary>
    /// A value of a numeric feature column as the model's <see cref="FeatureColumnState.Width"/> inputs: <see cref="ScaleNumber"/>,
    /// then its position in each bin of a piecewise-linear encoding (<see cref="FeatureColumnState.Edges"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The column is not numeric, or <paramref name="inputs"/> is not its width.</exception>
    public void EncodeNumber<T>(FeatureColumnState feature, double value, Span<T> inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.Kind is not (FeatureKind.Numeric or FeatureKind.Date))
        {
            throw new ArgumentException($"Expected a numeric or date column. Received: '{feature.Name}', {feature.Kind}.", nameof(feature));
        }
        if (inputs.Length != feature.Width)
        {
            throw new ArgumentException($"Expected the column's {feature.Width} inputs. Received: {inputs.Length}.", nameof(inputs));
        }
        EncodeNumeric(value, feature, inputs);
    }

    /// <summary>The inverse of <see cref="ScaleNumber"/>: a numeric input as the model sees it, back in the column's units.</summary>
    /// <exception cref="ArgumentException">The column is not numeric.</exception>
    public double UnscaleNumber(FeatureColumnState feature, double input)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.Kind is not (FeatureKind.Numeric or FeatureKind.Date))
        {
            throw new ArgumentException($"Expected a numeric or date column. Received: '{feature.Name}', {feature.Kind}.", nameof(feature));
        }
        // Smooth clipping c = z / √(1 + (z/3)²) inverts as z = c / √(1 − (c/3)²), for |c| < 3.
        double z = State.Scaling == NumericScaling.Robust ? input / Math.Sqrt(Math.Max(1 - input * input / 9, 1e-12)) : input;
        return z * feature.Scale + feature.Mean;
    }

    // A numeric cell as the model's inputs: scaled, then placed in each bin of its piecewise-linear encoding.
    private void EncodeNumeric<T>(double value, FeatureColumnState feature, Span<T> inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        inputs[0] = T.CreateChecked(ScaleNumeric(value, feature));
        for (int t = 0; t < feature.Bins; t++)
        {
            inputs[1 + t] = T.CreateChecked(feature.BinPosition(value, t));
        }
        if (feature.Calendar is { } parts)
        {
            CalendarInputs.Encode(value, parts, inputs[(1 + feature.Bins)..]);
        }
    }

    // A numeric cell as the model sees it: standardized, or robustly scaled and smoothly clipped.
    private double ScaleNumeric(double value, FeatureColumnState feature)
    {
        double z = StandardScaler<double>.Standardize(value, feature.Mean, feature.Scale);
        return State.Scaling == NumericScaling.Robust ? RobustScaler.SmoothClip(z) : z;
    }

    private static void Imputed(ICollection<string>? notes, TableColumn column, int count, string with)
    {
        if (count > 0) notes?.Add($"imputed {count} missing value(s) in column '{column.Name}' with {with}");
    }

    // Class index of each of the rows (whose target is present); a label not seen in training is an error.
    private int[] ClassIndices(Table table, TableColumn target, int[] rows)
    {
        var classOf = new int[rows.Length];
        if (State.Target.Numeric)
        {
            // Numeric labels are compared by value, so "2.0" in a new file is class "2".
            CheckUnit(table, target, State.Target.Unit);
            var cells = new NumericCells(table, target, "numeric class labels in the training data");
            for (int i = 0; i < rows.Length; i++)
            {
                string label = LabelEncoder.Name(cells[rows[i]]);
                if (!_labels!.TryEncode(label, out classOf[i])) throw UnknownClass(table, target, rows[i], label);
            }
            return classOf;
        }
        var text = new TextCells(target);
        int[] byLevel = text.MapLevels(level => _labels!.TryEncode(level, out int index) ? index : -1);
        for (int i = 0; i < rows.Length; i++)
        {
            int code = text.Code(rows[i]);
            classOf[i] = byLevel[code];
            if (classOf[i] < 0) throw UnknownClass(table, target, rows[i], target.Levels[code]);
        }
        return classOf;
    }

    private BackpropException UnknownClass(Table table, TableColumn target, int row, string label) => new(
        $"Expected a class seen in training ({DataErrors.List(ClassNames!)}). Received: '{DataErrors.Quote(label)}' in the target column '{target.Name}' at {table.LocationOf(row)}.");

    private static TargetColumnState FitTarget(Table table, TableColumn target, int[] training, TabularOptions options, List<string> notes)
    {
        string[] classes;
        bool numeric = target.IsNumeric;
        if (numeric || options.Task == TaskKind.Regression)
        {
            var cells = new NumericCells(table, target, options.Task == TaskKind.Regression ? "a regression target" : "numeric");
            var values = new double[training.Length];
            for (int i = 0; i < training.Length; i++) values[i] = cells[training[i]];
            TaskKind task = options.Task ?? InferNumericTask(values, options);
            if (task == TaskKind.Regression)
            {
                if (values.Length >= 2 && Constant(values))
                {
                    // As a target of one class: a constant is all there is to predict, and an R² of it is undefined (shown as 0).
                    throw new BackpropException(string.Create(CultureInfo.InvariantCulture,
                        $"Expected a target column whose values vary. Received: '{target.Name}' is {values[0]:R} in all {training.Length:N0} rows ({table.Source})."));
                }
                return new TargetColumnState(target.Name, TaskKind.Regression, Numeric: true, Unit: target.IsNumeric ? target.Unit : null);
            }
            classes = [.. LabelEncoder.FitNumeric(values).Classes];
            numeric = true;
            if (options.Task is null && InferredClassesAreDoubtful(values, classes.Length))
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"target {Quoted(target)} holds integers with {classes.Length} distinct values ({values.Min()} to {values.Max()}), so it is taken as {classes.Length} classes; to predict it as a number (a count, an amount): {{Task}} regression"));
            }
        }
        else
        {
            var cells = new TextCells(target);
            classes = [.. LabelEncoder.Fit(cells.LevelsIn(training)).Classes];
        }
        if (classes.Length < 2)
        {
            throw new BackpropException(
                $"Expected at least 2 classes in the target column '{target.Name}'. Received: only '{DataErrors.Quote(classes[0])}' in {(training.Length == 1 ? "the only row" : $"all {training.Length:N0} rows")} ({table.Source}).");
        }
        if (classes.Length == training.Length && training.Length >= options.MinRowsForIdentifier)
        {
            // Every class a single row (a date, a name as the last column): no class can be learned, and no error would say so.
            bool numbers = numeric || Array.TrueForAll(classes, c => target.TryParseNumber(c, out _));
            string name = OptionPlaceholders.Escape(target.Name);
            throw BackpropException.SuggestingOptions(
                $"Expected a target column with several rows per class. Received: '{name}', as many classes as rows ({training.Length:N0}, each value once) " +
                $"in {OptionPlaceholders.Escape(table.Source)}; choose the column to predict ({{Target}} NAME)" +
                (numbers ? $", or predict its values as numbers ({{Task}} regression)." : "."));
        }
        if (classes.Length > options.MaxClasses)
        {
            string hint = numeric
                ? "a number to predict? make it a regression (task regression)"
                : "an identifier or free text? choose another target column";
            throw new BackpropException(
                $"Expected at most {options.MaxClasses:N0} classes in the target column '{target.Name}'. Received: {classes.Length:N0} distinct values in {training.Length:N0} rows ({table.Source}); {hint}.");
        }
        return new TargetColumnState(target.Name, TaskKind.Classification, numeric, classes, target.IsNumeric ? target.Unit : null);
    }

    // Integer labels 1, 2, 3 are classes beyond doubt; 0 to 17 with gaps (cases counted) or ten values may be a quantity.
    private static bool InferredClassesAreDoubtful(double[] values, int classes) =>
        classes > 5 || values.Max() - values.Min() + 1 > classes;

    /// <summary>
    /// Classification when the numeric target <paramref name="values"/> look like class labels: integers, few distinct values
    /// (at most <see cref="TabularOptions.MaxClassesForNumericTarget"/>), each seen twice on average, spread over a range no
    /// wider than twice their number. Counts with a wide range (committee bills 1 to 355, 20 values) and one row per value
    /// (longley's employment, 16 values in 16 rows) are quantities: a class seen once cannot be learned.
    /// </summary>
    internal static TaskKind InferNumericTask(double[] values, TabularOptions options)
    {
        if (values.Length == 0)
        {
            return TaskKind.Regression;
        }
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (v != Math.Round(v))
            {
                return TaskKind.Regression;
            }
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        // Distinct values counted up to one past the limit, which a regression target reaches within its first rows.
        var seen = new double[options.MaxClassesForNumericTarget + 1];
        int distinct = 0;
        foreach (double v in values)
        {
            if (Array.IndexOf(seen, v, 0, distinct) < 0)
            {
                seen[distinct++] = v;
                if (distinct == seen.Length) break;
            }
        }
        double range = max - min + 1;
        return distinct <= options.MaxClassesForNumericTarget && distinct * 2 <= values.Length && range <= 2 * distinct
            ? TaskKind.Classification
            : TaskKind.Regression;
    }

    private static FeatureColumnState? FitNumeric(Table table, TableColumn column, int[] training, MissingValueStrategy missing,
        NumericScaling scaling, int bins, double[] scratch, List<string> notes)
    {
        var cells = new NumericCells(table, column, "numeric");
        Span<double> values = scratch.AsSpan(2 * training.Length, training.Length);
        for (int i = 0; i < training.Length; i++) values[i] = cells[training[i]];
        FeatureColumnState? fitted = FitNumbers(column, FeatureKind.Numeric, values, missing, scaling, bins, scratch, notes);
        return fitted is not null && column.Unit is not null ? fitted with { Unit = column.Unit } : fitted;
    }

    // A column of dates as days since 1970-01-01 UTC, fitted as numbers are (its notes say the days as dates).
    // `order`: the order of day and month of dates written with the year last, or null for ISO 8601 dates.
    private static FeatureColumnState? FitDates(TableColumn column, double[] days, DateOrder? order, int[] training, TabularOptions options, double[] scratch,
        List<string> notes)
    {
        var cells = new TextCells(column);
        Span<double> values = scratch.AsSpan(2 * training.Length, training.Length);
        for (int i = 0; i < training.Length; i++) values[i] = cells.Code(training[i]) is int code and >= 0 ? days[code] : double.NaN;
        CalendarPart[]? calendar = CalendarInputs.Choose(values);
        string[] parts = calendar is null ? [] : [.. calendar.Select(part => part switch
        {
            CalendarPart.Weekday => "the weekday",
            CalendarPart.Year => "the time of year",
            _ => "the time of day",
        })];
        string with = parts.Length == 0 ? "" : " with " + (parts.Length == 1 ? parts[0] : string.Join(", ", parts[..^1]) + " and " + parts[^1]);
        string written = order switch
        {
            DateOrder.DayFirst => $", the day first ({OrderTold(column, order.Value, options.DateOrder is not null)})",
            DateOrder.MonthFirst => $", the month first ({OrderTold(column, order.Value, options.DateOrder is not null)})",
            _ => "",
        };
        notes.Add($"column {Quoted(column)}: dates{written}, as days since 1970-01-01{with}; to read them as categories: {{Categorical}} {OptionPlaceholders.Value(column.Name)}");
        FeatureColumnState? fitted = FitNumbers(column, FeatureKind.Date, values, options.Missing, options.Scaling, options.PiecewiseLinearBins, scratch, notes);
        return fitted is null ? null : fitted with { Calendar = calendar, Order = order };
    }

    // What tells the column's order of day and month, for its note: the option that gives it, its first value that only that
    // order reads (15/03/2024, 3/15/2024), or that every date is on the 1st of a month.
    private static string OrderTold(TableColumn column, DateOrder order, bool given)
    {
        if (given) return $"{{DateOrder}} {OrderName(order)}";
        DateOrder other = order == DateOrder.DayFirst ? DateOrder.MonthFirst : DateOrder.DayFirst;
        foreach (string level in column.Levels)
        {
            if (DayMonthDates.TryParseDays(level, order, out _) && !DayMonthDates.TryParseDays(level, other, out _))
            {
                return $"as in '{OptionPlaceholders.Escape(DataErrors.Quote(level))}'";
            }
        }
        string first = column.Levels.First(level => DayMonthDates.TryParseDays(level, order, out _));
        return $"every one on the 1st of a month, as '{OptionPlaceholders.Escape(DataErrors.Quote(first))}'";
    }

    // Whether every value that occurs (a count above 0) is a date.
    private static bool AllDates(int[] counts, double[] levelDays)
    {
        for (int code = 0; code < counts.Length; code++)
        {
            if (counts[code] > 0 && double.IsNaN(levelDays[code])) return false;
        }
        return true;
    }

    // Each distinct text of a column as days since 1970-01-01 UTC, NaN where it is not a date: ISO 8601, or with the year last
    // in `order`.
    private static double[] LevelDays(TableColumn column, DateOrder? order = null)
    {
        IReadOnlyList<string> levels = column.IsNumeric ? [] : column.Levels;
        var days = new double[levels.Count];
        for (int code = 0; code < days.Length; code++)
        {
            days[code] = (order is { } o ? DayMonthDates.TryParseDays(levels[code], o, out double value) : IsoDates.TryParseDays(levels[code], out value)) ? value : double.NaN;
        }
        return days;
    }

    // The column's distinct values that occur read as dates, ISO 8601 or, where more of them are dates with the year last in
    // the order `given` says or, without it, they tell (15/03/2024, 3/15/2024), so; NaN where not a date. `ambiguous`: they are
    // such dates, every one of them in both orders, and no order was given.
    private static double[] LevelDays(TableColumn column, int[] counts, DateOrder? given, out DateOrder? order, out bool ambiguous)
    {
        order = null;
        ambiguous = false;
        double[] iso = LevelDays(column);
        if (column.IsNumeric || AllDates(counts, iso)) return iso;
        IEnumerable<string> present = column.Levels.Where((_, code) => counts[code] > 0);
        DateOrder? told = given;
        if (given is null)
        {
            told = DayMonthDates.Infer(present, out bool undecided);
            ambiguous = undecided && present.All(level => DayMonthDates.TryParseDays(level, DateOrder.DayFirst, out _));
        }
        if (told is not { } inferred) return iso;
        double[] ordered = LevelDays(column, inferred);
        if (Dates(counts, ordered) <= Dates(counts, iso)) return iso;
        order = inferred;
        return ordered;
    }

    // Which values that occur are not dates in `levelDays` (read in the `given` order where that read more of them) and only the
    // other order reads (15/03/2024 when the month comes first), by code; null if none, or if the column is not dates with the
    // year last (no value read in the given order, and fewer than half in the other: text that holds a date).
    private static bool[]? OtherOrderOnly(TableColumn column, int[] counts, double[] levelDays, DateOrder given)
    {
        if (column.IsNumeric) return null;
        DateOrder other = given == DateOrder.DayFirst ? DateOrder.MonthFirst : DateOrder.DayFirst;
        int present = 0, readInGiven = 0, readInOther = 0;
        bool[]? contradicting = null;
        for (int code = 0; code < counts.Length; code++)
        {
            if (counts[code] == 0) continue;
            present++;
            string level = column.Levels[code];
            bool inGiven = DayMonthDates.TryParseDays(level, given, out _);
            bool inOther = DayMonthDates.TryParseDays(level, other, out _);
            if (inGiven) readInGiven++;
            if (inOther) readInOther++;
            if (inOther && !inGiven && double.IsNaN(levelDays[code])) (contradicting ??= new bool[counts.Length])[code] = true;
        }
        return contradicting is not null && (readInGiven > 0 || readInOther * 2 >= present) ? contradicting : null;
    }

    // The error at the first training row whose date only the other order reads.
    private static BackpropException ContradictsDateOrder(Table table, TableColumn column, int[] training, bool[] contradicting, DateOrder given)
    {
        int row = Array.Find(training, r => column.GetCode(r) is int code and >= 0 && contradicting[code]);
        (string first, string second) = given == DateOrder.DayFirst ? ("day", "month") : ("month", "day");
        string name = OrderName(given);
        return BackpropException.SuggestingOptions(
            $"Expected dates with the {first} first in column '{OptionPlaceholders.Escape(column.Name)}' ({{DateOrder}} {name}). " +
            $"Received: '{OptionPlaceholders.Escape(DataErrors.Quote(column.GetText(row)!))}' at {OptionPlaceholders.Escape(table.LocationOf(row))}, " +
            $"a date only with the {second} first; leave out {{DateOrder}} to let each column's dates tell their order.");
    }

    // The order as the options spell it (OptionNames, a layer above, holds the same names).
    private static string OrderName(DateOrder order) => order == DateOrder.DayFirst ? "day-first" : "month-first";

    // How many of the values that occur are dates.
    private static int Dates(int[] counts, double[] levelDays)
    {
        int dates = 0;
        for (int code = 0; code < counts.Length; code++) if (counts[code] > 0 && !double.IsNaN(levelDays[code])) dates++;
        return dates;
    }

    // `values`: the column's numbers in the training rows, NaN where missing; `scratch` holds twice as many more.
    private static FeatureColumnState? FitNumbers(TableColumn column, FeatureKind kind, ReadOnlySpan<double> values, MissingValueStrategy missing,
        NumericScaling scaling, int bins, double[] scratch, List<string> notes)
    {
        int presentCount = 0;
        foreach (double value in values)
        {
            if (!double.IsNaN(value)) presentCount++;
        }
        if (presentCount == 0)
        {
            notes.Add($"dropped column {Quoted(column)}: every value is missing");
            return null;
        }
        Span<double> present = scratch.AsSpan(0, presentCount);
        Span<double> imputed = scratch.AsSpan(values.Length, values.Length);
        int next = 0;
        foreach (double value in values)
        {
            if (!double.IsNaN(value)) present[next++] = value;
        }
        double[]? edges = bins > 0 ? QuantileEdges(present, bins) : null;
        double fill = Imputer.NumericFill(present, missing);
        for (int i = 0; i < values.Length; i++)
        {
            imputed[i] = double.IsNaN(values[i]) ? fill : values[i];
        }
        // Statistics of the imputed column, as the model will see it.
        (double mean, double scale) = scaling == NumericScaling.Robust ? RobustScaler.FitColumn(imputed) : StandardScaler<double>.FitColumn(imputed);
        int missingCount = values.Length - presentCount;
        if (missingCount > 0)
        {
            string how = missing == MissingValueStrategy.Median ? "median" : "mean";
            string value = kind == FeatureKind.Date ? IsoDates.Format(fill) : fill.ToString("G6", CultureInfo.InvariantCulture);
            notes.Add($"imputed {missingCount} missing value(s) in column {Quoted(column)} with the {how} {value}");
        }
        return new FeatureColumnState(column.Name, kind, mean, scale, fill, Edges: edges);
    }

    // The edges of a piecewise-linear encoding in `bins` bins: the quantiles 0, 1/bins, …, 1 of the present values (linear
    // between order statistics, as numpy's default), equal ones merged; null when fewer than the minimum of bins remain
    // (a column of a few values: its one input already says them), or when a bin is wider than a double holds (values near
    // ±1.8e308: its positions would be NaN).
    private static double[]? QuantileEdges(ReadOnlySpan<double> present, int bins)
    {
        double[] sorted = present.ToArray();
        Array.Sort(sorted);
        // An array and loops, not List<double> and LINQ: the framework's generic code over doubles is compiled at first use in
        // every run (docs/performance.md, "Start-up").
        var edges = new double[bins + 1];
        int count = 0;
        for (int q = 0; q <= bins; q++)
        {
            double edge = Quantiles.At(sorted, (sorted.Length - 1) * (double)q / bins);
            if (count == 0 || edge > edges[count - 1]) edges[count++] = edge;
        }
        bool finite = true;
        for (int e = 1; e < count; e++) finite &= double.IsFinite(edges[e] - edges[e - 1]);
        if (count - 1 < TabularOptions.MinPiecewiseLinearBins || !finite) return null;
        var kept = new double[count];
        Array.Copy(edges, kept, count);
        return kept;
    }

    private static FeatureColumnState? FitText(Table table, TableColumn column, int[] training, TabularOptions options, bool isExplicit,
        bool categorical, double[] scratch, List<string> notes)
    {
        var cells = new TextCells(column);
        int[] counts = cells.CountLevels(training, out int missingCount);
        string[] present = column.IsNumeric ? [] : column.Levels.Where((_, code) => counts[code] > 0).ToArray();
        if (present.Length == 0)
        {
            notes.Add($"dropped column {Quoted(column)}: every value is missing");
            return null;
        }
        // Each distinct value read as a date once, for the typo check, the kind and the fit (NaN where it is not one).
        DateOrder? order = null;
        bool ambiguousDates = false;
        double[] levelDays = categorical ? [] : LevelDays(column, counts, options.DateOrder, out order, out ambiguousDates);
        if (options.DateOrder is { } given && !categorical && OtherOrderOnly(column, counts, levelDays, given) is { } contradicting)
        {
            throw ContradictsDateOrder(table, column, training, contradicting, given);
        }
        if (!categorical && !column.IsNumeric
            && (MistypedNumbers.Find(table, column, training, counts) ?? MistypedNumbers.FindDates(table, column, training, counts, levelDays)) is { } typo)
        {
            throw typo;
        }
        if (!categorical && present.Any(level => level.Contains(',')) && Array.TrueForAll(present, LooksLikeDecimalComma))
        {
            notes.Add($"column {Quoted(column)} holds numbers written with decimal commas (such as '{OptionPlaceholders.Escape(DataErrors.Quote(present.First(l => l.Contains(','))))}'), " +
                "so it is not numeric; read it with the decimal separator ',' ({Decimal} ,) to use them as numbers");
        }
        int presentCount = training.Length - missingCount;
        string how = $"the most frequent value";
        FeatureColumnState feature;
        if (ambiguousDates)
        {
            notes.Add($"column {Quoted(column)} holds dates with the year last (such as '{OptionPlaceholders.Escape(DataErrors.Quote(present[0]))}'), but no day above 12 tells " +
                "whether the day or the month comes first: read as text; to use them as dates, give the order ({DateOrder} day-first or month-first) or write them year first (2024-02-01)");
        }
        if (!categorical && Array.TrueForAll(present, level => ParseBoolean(level) is not null))
        {
            int trues = 0;
            for (int code = 0; code < counts.Length; code++) if (ParseBoolean(column.Levels[code]) == true) trues += counts[code];
            // Ties go to false, as the ordinal tie rule of categories would ("false" < "true").
            int fill = trues * 2 > presentCount ? 1 : 0;
            feature = new FeatureColumnState(column.Name, FeatureKind.Boolean, Fill: fill);
            how += fill == 1 ? " true" : " false";
        }
        else if (!categorical && AllDates(counts, levelDays))
        {
            // Before the identifier rule: a date per row is a time line, not a row's name.
            return FitDates(column, levelDays, order, training, options, scratch, notes);
        }
        else if (!isExplicit && IdentifierColumns.TextReason(present.Length, presentCount, options.MinRowsForIdentifier) is { } reason)
        {
            notes.Add($"dropped column {Quoted(column)}: {reason}; to use it as a feature: {{Keep}}");
            return null;
        }
        else if (present.Length > options.MaxCategories)
        {
            string received = $"{present.Length:N0} distinct values in column '{column.Name}'";
            if (isExplicit)
            {
                throw new BackpropException($"Expected at most {options.MaxCategories:N0} categories to one-hot encode. Received: {received} ({table.Source}).");
            }
            notes.Add($"dropped column {Quoted(column)}: too many categories to one-hot encode ({received[..received.IndexOf(' ')]} > {options.MaxCategories:N0})");
            return null;
        }
        else
        {
            string[] categories = [.. OneHotEncoder.Fit(present).Categories];
            if (categories.Length > ManyCategories)
            {
                notes.Add($"column {Quoted(column)}: {categories.Length:N0} categories, one-hot encoded as as many inputs");
            }
            string fill = column.Levels[Imputer.MostFrequent(counts, column.Levels)];
            feature = new FeatureColumnState(column.Name, FeatureKind.Categorical, Categories: categories, FillCategory: fill);
            how += $" '{DataErrors.Quote(fill)}'";
        }
        if (missingCount > 0)
        {
            notes.Add($"imputed {missingCount} missing value(s) in column {Quoted(column)} with {how}");
        }
        return feature;
    }

    /// <summary>
    /// The one value <paramref name="column"/> holds in every training row that has one (as a note writes it), or
    /// <see langword="null"/>: such a column tells the rows apart by nothing. As an input it is a constant (its missing cells
    /// imputed with that value), whose scale of 1 would only feign a spread (info: mean 5, std 1).
    /// </summary>
    private static string? ConstantValue(Table table, TableColumn column, int[] training, out bool someMissing)
    {
        someMissing = false;
        if (column.IsNumeric)
        {
            var cells = new NumericCells(table, column, "numeric");
            double first = double.NaN;
            foreach (int r in training)
            {
                double value = cells[r];
                if (double.IsNaN(value))
                {
                    someMissing = true;
                    continue;
                }
                if (double.IsNaN(first)) first = value;
                else if (value != first) return null;
            }
            return double.IsNaN(first) ? null : first.ToString("G6", CultureInfo.InvariantCulture);
        }
        int code = -1;
        foreach (int r in training)
        {
            int next = column.GetCode(r);
            if (next < 0)
            {
                someMissing = true;
                continue;
            }
            if (code < 0) code = next;
            else if (next != code) return null;
        }
        return code < 0 ? null : $"'{DataErrors.Quote(column.Levels[code])}'";
    }

    // A categorical column with more categories than this is worth a note: it widens the network's input by that much.
    private const int ManyCategories = 20;

    // A column name in a note, which is a template that names options as {Name}.
    private static string Quoted(TableColumn column) => $"'{OptionPlaceholders.Escape(column.Name)}'";

    private static bool LooksLikeDecimalComma(string text) =>
        text.Count(c => c == ',') <= 1 && !text.Contains('.') &&
        double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static bool? ParseBoolean(string text) =>
        text.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
        : text.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
        : null;

    private static List<TableColumn> Resolve(Table table, IReadOnlyList<string>? names, string role) =>
        names is null ? [] : names.Distinct(StringComparer.Ordinal)
            .Select(name => table.Find(name) ?? throw DataErrors.ColumnNotFound(table.Source, $"{role} '{name}'", name, table.ColumnNames)).ToList();

    // The rows whose target is present. Loops here and in SelectRows and InferNumericTask, not LINQ over ints and doubles: each
    // such pipeline is generic code the JIT compiles afresh in every run (docs/performance.md, "A small run's phases").
    private static int[] WithTarget(int[] rows, TableColumn target)
    {
        int kept = 0;
        foreach (int r in rows)
        {
            if (!target.IsMissing(r)) kept++;
        }
        if (kept == rows.Length)
        {
            return rows;
        }
        var selected = new int[kept];
        kept = 0;
        foreach (int r in rows)
        {
            if (!target.IsMissing(r)) selected[kept++] = r;
        }
        return selected;
    }

    private static int[] SelectRows(Table table, IReadOnlyList<int>? rows)
    {
        if (rows is null)
        {
            var every = new int[table.RowCount];
            for (int r = 0; r < every.Length; r++) every[r] = r;
            return every;
        }
        int[] selected = [.. rows];
        foreach (int r in selected)
        {
            if ((uint)r >= (uint)table.RowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), r, $"Expected rows in [0, {table.RowCount}).");
            }
        }
        return selected;
    }

    // A numeric column written with a unit in training is read in that unit: a file whose numbers there carry another (€
    // where the training file had $, or % where it had $) would be read as the same quantity and give wrong predictions.
    private static void CheckUnit(Table table, TableColumn column, string? trainedUnit)
    {
        if (trainedUnit is { } unit && column.Unit is not null && !NumberUnits.Same(column.Unit, unit))
        {
            throw DataErrors.OtherUnit(table.LocationOf(column.FirstUnitRow), column.Name, column.FirstUnitText!, unit, "as in the training data");
        }
    }

    // A column the file holds but the reader could not read as cells (a Parquet list or binary column) cannot be an input or
    // the target; left out (--drop, --features, or not used by the model) it does no harm.
    private static void ThrowOnUnsupported(Table table, IEnumerable<TableColumn> columns)
    {
        if (columns.FirstOrDefault(c => c.Unsupported is not null) is { } column)
        {
            throw DataErrors.UnsupportedParquetColumn(table.Source, column.Name, column.Unsupported!);
        }
    }

    // The missing cell that comes first in the file, among these columns.
    internal static void ThrowOnFirstMissing(Table table, IEnumerable<TableColumn> columns)
    {
        TableColumn? first = columns.Where(c => c.MissingCount > 0).MinBy(c => (c.FirstMissingRow, c.Index));
        if (first is not null)
        {
            throw DataErrors.Missing(table.LocationOf(first.FirstMissingRow), first.Name, first.FirstMissingText!);
        }
    }
}
