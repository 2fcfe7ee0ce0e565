#!/usr/bin/python3
"""Golden values for tests/Backprop.Tests/Layers/SeluTests.cs and MishTests.cs.

Evaluates SELU and Mish and their derivatives at fixed points with 50 significant digits (mpmath), far beyond float64, and
prints them rounded to float64 as C# array literals. Regenerate with: /usr/bin/python3 tests/golden/activations.py
(made with mpmath 1.2.1).
"""
from mpmath import mp, mpf, exp, log, tanh

mp.dps = 50

X = ["-50", "-20", "-5", "-1", "-0.5", "-1e-10", "0", "1e-10", "0.5", "1", "5", "20", "50"]

# PyTorch's and Klambauer et al.'s constants, to the digits of the paper's closed form.
LAMBDA = mpf("1.0507009873554804934193349852946")
ALPHA = mpf("1.6732632423543772848170429916717")


def selu(x):
    return LAMBDA * x if x > 0 else LAMBDA * ALPHA * (exp(x) - 1)


def selu_derivative(x):
    # At exactly 0 the left derivative, as PyTorch takes it.
    return LAMBDA if x > 0 else LAMBDA * ALPHA * exp(x)


def mish(x):
    return x * tanh(log(1 + exp(x)))


def mish_derivative(x):
    t = tanh(log(1 + exp(x)))
    sigma = 1 / (1 + exp(-x))
    return t + x * (1 - t * t) * sigma


def literal(values):
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


xs = [mpf(x) for x in X]
print("x =", "[" + ", ".join(X) + "]")
print("selu =", literal(selu(x) for x in xs))
print("selu' =", literal(selu_derivative(x) for x in xs))
print("mish =", literal(mish(x) for x in xs))
print("mish' =", literal(mish_derivative(x) for x in xs))
