#!/usr/bin/python3
"""Golden values for tests/Backprop.Tests/Optimizers/OptimizerGoldenTests.cs.

Runs each optimizer configuration for 3 steps from fixed parameters with fixed per-step gradients, in float64, and prints the
parameters after the third step as C# array literals. Regenerate with: /usr/bin/python3 tests/golden/optimizers.py
(made with PyTorch 1.13).
"""
import torch

torch.set_default_dtype(torch.float64)

PARAMS = [0.5, -1.2, 3.0, 0.0, -0.07]
GRADS = [
    [0.1, -0.3, 2.0, 0.0, 1.5],
    [-0.2, 0.4, 1.0, 0.3, -2.5],
    [0.05, 0.05, -0.5, -1.0, 0.7],
]

CONFIGS = [
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd_momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    ("sgd_nesterov_decay", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("sgd_dampening_decay", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.8, dampening=0.1, weight_decay=0.05)),
    ("adam_default", lambda p: torch.optim.Adam(p)),
    ("adam_decay", lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("adamw_default", lambda p: torch.optim.AdamW(p)),
    ("adamw_decay", lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.5)),
]

for name, make in CONFIGS:
    theta = torch.nn.Parameter(torch.tensor(PARAMS))
    optimizer = make([theta])
    for grad in GRADS:
        theta.grad = torch.tensor(grad)
        optimizer.step()
    print(f'["{name}"] = [{", ".join(repr(v) for v in theta.detach().tolist())}],')
