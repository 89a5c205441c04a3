"""The seed's four models written in plain PyTorch, as a Python user would write them: the same
layers, shapes and parameter counts as core/ml/detail/Network.cpp builds (and core/ml/Architecture.cpp
lists), checked when this module is imported.

  seed-cnn2d (family_cnn)      input 499 x 129 STFT magnitude, as one channel
    conv 3x3 1->16   497 x 127  ReLU, max-pool 2   248 x 63
    conv 3x3 16->32  246 x 61   ReLU, max-pool 2   123 x 30
    conv 3x3 32->64  121 x 28   ReLU, max-pool 2    60 x 14
    dropout 0.25, flatten 53,760, dropout 0.5, dense 11                 614,667 parameters
  seed-logreg-spec (family_lr)  flatten 64,371, dense 11                708,092 parameters
  seed-cnn1d (source_cnn)      input 64,000 samples, as one channel
    conv 3 1->32     63,998     ReLU, max-pool 2   31,999
    conv 3 32->64    31,997     ReLU, max-pool 2   15,998
    dropout 0.25, flatten 1,023,872, dropout 0.5, dense 3             3,077,955 parameters
  seed-logreg-raw (source_lr)  dense 64,000 -> 3                       192,003 parameters

Every convolution is 'valid' (no padding). The seed was Keras, channels last; PyTorch is channels
first, so only the order of the flattened features differs, which changes no cost. The names in
brackets are the figure names bench_train and bench_infer print. build() asserts each count.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from peer_common import BINS, CLIP, FAMILIES, FRAMES, SOURCES

# Parameter counts of core/ml/Architecture.cpp (the seed's Keras summaries).
PARAMETERS = {"family_cnn": 614667, "family_lr": 708092, "source_cnn": 3077955, "source_lr": 192003}
ARCHITECTURE = {"family_cnn": "seed-cnn2d", "family_lr": "seed-logreg-spec",
                "source_cnn": "seed-cnn1d", "source_lr": "seed-logreg-raw"}
MODELS = tuple(PARAMETERS)


def valid_then_pool(n):
    """Length after a 3-wide valid convolution and a max-pool of 2."""
    return (n - 2) // 2


class SeedCnn2d(nn.Module):
    def __init__(self):
        super().__init__()
        h, w = FRAMES, BINS
        for _ in range(3):
            h, w = valid_then_pool(h), valid_then_pool(w)
        assert (h, w) == (60, 14), (h, w)
        self.conv1 = nn.Conv2d(1, 16, 3)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.conv3 = nn.Conv2d(32, 64, 3)
        self.dense = nn.Linear(64 * h * w, FAMILIES)

    def forward(self, x):                      # x: [batch, 499, 129]
        x = x.unsqueeze(1)
        for conv in (self.conv1, self.conv2, self.conv3):
            x = F.max_pool2d(F.relu(conv(x)), 2)
        x = F.dropout(x, 0.25, self.training)
        x = F.dropout(torch.flatten(x, 1), 0.5, self.training)
        return self.dense(x)


class SeedCnn1d(nn.Module):
    def __init__(self):
        super().__init__()
        n = valid_then_pool(valid_then_pool(CLIP))
        assert n == 15998, n
        self.conv1 = nn.Conv1d(1, 32, 3)
        self.conv2 = nn.Conv1d(32, 64, 3)
        self.dense = nn.Linear(64 * n, SOURCES)

    def forward(self, x):                      # x: [batch, 64000]
        x = x.unsqueeze(1)
        x = F.max_pool1d(F.relu(self.conv1(x)), 2)
        x = F.max_pool1d(F.relu(self.conv2(x)), 2)
        x = F.dropout(x, 0.25, self.training)
        x = F.dropout(torch.flatten(x, 1), 0.5, self.training)
        return self.dense(x)


class SeedLogReg(nn.Module):
    """The seed's 'logistic regression': one dense layer on the flattened input (softmax in the loss)."""

    def __init__(self, inputs, classes):
        super().__init__()
        self.dense = nn.Linear(inputs, classes)

    def forward(self, x):
        return self.dense(torch.flatten(x, 1))


def input_shape(name):
    """One example's shape (without the batch)."""
    return (FRAMES, BINS) if name.startswith("family") else (CLIP,)


def classes(name):
    return FAMILIES if name.startswith("family") else SOURCES


def build(name):
    net = {"family_cnn": SeedCnn2d, "source_cnn": SeedCnn1d,
           "family_lr": lambda: SeedLogReg(FRAMES * BINS, FAMILIES),
           "source_lr": lambda: SeedLogReg(CLIP, SOURCES)}[name]()
    count = sum(p.numel() for p in net.parameters() if p.requires_grad)
    assert count == PARAMETERS[name], "%s: %d parameters, Network.cpp has %d" % (name, count, PARAMETERS[name])
    return net


def train_flops(name):
    """Floating-point operations of one training sample in the convolutions and dense layers: two per
    multiply-add, for the forward pass, the weight gradient and the input gradient (none for the
    first layer). bench_train.cpp counts the same, so gflops_achieved compares directly."""
    if name == "family_cnn":
        first = 2 * 497 * 127 * 16 * 9
        rest = [2 * 246 * 61 * 32 * 16 * 9, 2 * 121 * 28 * 64 * 32 * 9, 2 * 53760 * 11]
    elif name == "source_cnn":
        first = 2 * 63998 * 32 * 3
        rest = [2 * 31997 * 64 * 32 * 3, 2 * 1023872 * 3]
    elif name == "family_lr":
        first, rest = 2 * FRAMES * BINS * 11, []
    else:
        first, rest = 2 * CLIP * 3, []
    return 2 * first + 3 * sum(rest)


if __name__ == "__main__":
    # /usr/bin/python3 bench/peer/seed_models.py: build each model (its parameter count is asserted)
    # and show the shapes its layers give, for comparison with `timbrescope models`.
    for name in MODELS:
        net = build(name).eval()
        with torch.no_grad():
            out = net(torch.zeros((2,) + input_shape(name)))
        print("%-11s %-17s %9d parameters  input %s -> logits %s"
              % (name, ARCHITECTURE[name], PARAMETERS[name], "x".join(map(str, input_shape(name))), tuple(out.shape[1:])))
