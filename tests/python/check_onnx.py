#!/usr/bin/env python3
"""Checks exported ONNX models with the official `onnx` package, as converters and optimizers do before they accept a graph.

Usage: check_onnx.py MODEL.onnx [MODEL.onnx ...]

For each model, in this order:
1. `onnx.checker.check_model(model, full_check=True)`: the model's structure, then shape inference;
2. `onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)`: strict inference, where an operator that
   cannot infer its output (an untyped input, for instance) is an error and declared types must agree with inferred ones;
3. that, after that inference, every value a node produces has an element type and a shape whose rank and dimensions are
   all known (a number, or a symbolic name such as N): what a tool that rewrites the graph relies on.

Prints `ok MODEL (onnx VERSION, V values typed)` per model; on the first failure, exits non-zero with the model and the
checker's message on stderr. Needs python3-onnx (Debian) or the `onnx` wheel.
"""
import sys

import onnx
import onnx.checker
import onnx.shape_inference


def untyped_values(inferred):
    """The names of node outputs without a complete tensor type in `inferred`, with what is missing."""
    known = {v.name: v.type for v in (*inferred.graph.input, *inferred.graph.value_info, *inferred.graph.output)}
    problems = []
    for node in inferred.graph.node:
        for name in node.output:
            value_type = known.get(name)
            if value_type is None or not value_type.HasField("tensor_type") or value_type.tensor_type.elem_type == 0:
                problems.append(f"{name} ({node.op_type}): no element type")
            elif not value_type.tensor_type.HasField("shape"):
                problems.append(f"{name} ({node.op_type}): no shape")
            else:
                dims = value_type.tensor_type.shape.dim
                unknown = [i for i, d in enumerate(dims) if not d.HasField("dim_value") and not d.HasField("dim_param")]
                if unknown:
                    problems.append(f"{name} ({node.op_type}): dimension(s) {unknown} unknown")
    return problems


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    problems = untyped_values(inferred)
    if problems:
        raise ValueError("values without a complete type after shape inference: " + "; ".join(problems))
    return sum(len(node.output) for node in inferred.graph.node)


def main(paths):
    if not paths:
        sys.exit(__doc__)
    for path in paths:
        try:
            values = check(path)
        except Exception as error:  # the checker raises several exception types; all mean the same here
            sys.exit(f"{path}: {type(error).__name__}: {str(error).strip()}")
        print(f"ok {path} (onnx {onnx.__version__}, {values} values typed)")


if __name__ == "__main__":
    main(sys.argv[1:])
