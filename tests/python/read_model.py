#!/usr/bin/env python3
"""Reads a Backprop model file with nothing but the standard library and numpy, independently of Backprop's own reader.

Usage: read_model.py MODEL [INPUTS.csv]

Prints one line per tensor (`tensor NAME DTYPE SHAPE`), one per metadata key (`metadata KEY`), and, given a CSV of input rows
(no header, already preprocessed), the network's outputs computed in numpy from the architecture metadata, one row per line
(`output v1,v2,...`, each value printed with repr so it round-trips). Exits non-zero with a message on anything malformed.
The same weights load into PyTorch: see docs/model-format.md.
"""
import json
import math
import struct
import sys

import numpy as np

DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8")}


def read_safetensors(path):
    with open(path, "rb") as f:
        content = f.read()
    (header_length,) = struct.unpack("<Q", content[:8])
    if header_length > len(content) - 8:
        sys.exit(f"header length {header_length} runs past the end of {path}")
    header = json.loads(content[8 : 8 + header_length].decode("utf-8"))
    data = content[8 + header_length :]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    end_of_data = 0
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        shape = tuple(info["shape"])
        if end - begin != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            sys.exit(f"{name}: byte range does not match its shape")
        tensors[name] = np.frombuffer(data[begin:end], dtype=dtype).reshape(shape)
        end_of_data = max(end_of_data, end)
    if end_of_data != len(data):
        sys.exit("trailing bytes after the last tensor")
    return tensors, metadata


def activation(kind, options):
    if kind == "Relu":
        return lambda x: np.maximum(x, 0)
    if kind == "Tanh":
        return np.tanh
    if kind == "Sigmoid":
        return lambda x: 1 / (1 + np.exp(-x))
    if kind == "LeakyRelu":
        slope = options.get("negative_slope", 0.01)
        return lambda x: np.where(x > 0, x, slope * x)
    if kind == "Gelu":
        erf = np.vectorize(math.erf)
        return lambda x: 0.5 * x * (1 + erf(x / math.sqrt(2))).astype(x.dtype)
    sys.exit(f"unknown layer type {kind}")


def forward(tensors, architecture, x):
    for k, layer in enumerate(architecture["layers"]):
        if layer["type"] == "Dense":
            # nn.Linear: y = x W^T + b with W of shape (out, in)
            x = x @ tensors[f"layers.{k}.weight"].T + tensors[f"layers.{k}.bias"]
        else:
            x = activation(layer["type"], layer.get("options", {}))(x)
    return x


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    tensors, metadata = read_safetensors(sys.argv[1])
    for name, value in tensors.items():
        print(f"tensor {name} {'F32' if value.dtype == np.float32 else 'F64'} {list(value.shape)}")
    for key in sorted(metadata):
        print(f"metadata {key}")
    if len(sys.argv) == 3:
        architecture = json.loads(metadata["architecture"])
        dtype = tensors["layers.0.weight"].dtype
        inputs = np.loadtxt(sys.argv[2], delimiter=",", dtype=np.float64, ndmin=2).astype(dtype)
        for row in forward(tensors, architecture, inputs):
            print("output " + ",".join(repr(float(v)) for v in row))


if __name__ == "__main__":
    main()
