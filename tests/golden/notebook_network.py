"""Golden values for tests/Backprop.Tests/Training/NotebookGoldenTests.cs.

The notebook's network and hand-derived backward pass (numpy, float64) on fixed weights and a batch of 3 samples,
with PyTorch's layout (weight (O, I)) and mean reduction over the batch. Regenerate with:
    /usr/bin/python3 tests/golden/notebook_network.py
"""
import numpy as np

I, H, C, B = 4, 5, 3, 3
# Deterministic, irregular values: no random generator involved, so C# can rebuild them exactly.
w1 = np.array([[np.sin(1.0 + o * I + i) for i in range(I)] for o in range(H)])          # (H, I)
b1 = np.array([0.1 * np.cos(2.0 + o) for o in range(H)])                                 # (H)
w2 = np.array([[0.5 * np.cos(3.0 + o * H + i) for i in range(H)] for o in range(C)])    # (C, H)
b2 = np.array([0.05 * (o - 1) for o in range(C)])                                        # (C)
x = np.array([[0.3 * np.sin(0.7 * (r * I + i)) + 0.1 * r for i in range(I)] for r in range(B)])  # (B, I)
y = np.array([2, 0, 1])

a = x @ w1.T + b1                      # (B, H)
h = np.maximum(a, 0)                   # (B, H)
c = h @ w2.T + b2                      # (B, C)
m = c.max(axis=1, keepdims=True)
p = np.exp(c - m) / np.exp(c - m).sum(axis=1, keepdims=True)
loss = np.mean(-np.log(p[np.arange(B), y]))
onehot = np.eye(C)[y]
dc = (p - onehot) / B                  # mean reduction
dw2 = dc.T @ h
db2 = dc.sum(axis=0)
dh = dc @ w2
da = dh * (a > 0)
dw1 = da.T @ x
db1 = da.sum(axis=0)

def show(name, v):
    print(f"    private static readonly double[] {name} = [{', '.join(repr(float(t)) for t in np.ravel(v))}];")

print(f"    private const double Loss = {float(loss)!r};")
for name, v in [("Logits", c), ("Probabilities", p), ("Hidden", h), ("WeightGradient1", dw1), ("BiasGradient1", db1),
                ("WeightGradient2", dw2), ("BiasGradient2", db2)]:
    show(name, v)
