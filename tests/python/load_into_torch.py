#!/usr/bin/env python3
"""Loads a Backprop model file into a PyTorch nn.Sequential, the way docs/model-format.md shows, and runs it.

Usage: load_into_torch.py MODEL INPUTS.csv

Builds the nn.Sequential from the `architecture` metadata, loads the weights with load_state_dict(strict=True) (tensor
names minus the `layers.` prefix are exactly nn.Sequential's state-dict keys), and prints one `output v1,v2,...` line per
input row. Reads the file with numpy (read_model.py); with the `safetensors` package installed,
`safetensors.torch.load_file(MODEL)` gives the same tensors.
"""
import json
import sys

import numpy as np
import torch
from torch import nn

from read_model import read_safetensors

LAYERS = {
    "Dense": lambda layer: nn.Linear(layer["in_features"], layer["out_features"]),
    "Relu": lambda layer: nn.ReLU(),
    "Tanh": lambda layer: nn.Tanh(),
    "Sigmoid": lambda layer: nn.Sigmoid(),
    "LeakyRelu": lambda layer: nn.LeakyReLU(layer.get("options", {}).get("negative_slope", 0.01)),
    "Gelu": lambda layer: nn.GELU(),
}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tensors, metadata = read_safetensors(sys.argv[1])
    architecture = json.loads(metadata["architecture"])
    model = nn.Sequential(*(LAYERS[layer["type"]](layer) for layer in architecture["layers"]))
    state = {name.removeprefix("layers."): torch.from_numpy(value.copy()) for name, value in tensors.items() if name.startswith("layers.")}
    dtype = state["0.weight"].dtype
    model = model.to(dtype)
    model.load_state_dict(state, strict=True)
    inputs = torch.from_numpy(np.loadtxt(sys.argv[2], delimiter=",", dtype=np.float64, ndmin=2)).to(dtype)
    with torch.no_grad():
        for row in model(inputs):
            print("output " + ",".join(repr(float(v)) for v in row))


if __name__ == "__main__":
    main()
