"""Peer of `npm run bench -- unrolled`: the same LISTA and SLISTA trained in PyTorch.

Run by bench/unrolled.ts (never by the tests; the project does not need Python):

    python3 bench/peers/unrolled_peers.py DIR

DIR holds the problem exported by the benchmark as .npy files:
    A.npy       (n, m) dictionary, atoms as columns
    Y.npy       (N, n) training signals, one per row (scaled so that lambdaMax = 1)
    config.npy  (6,)   layers T, batch size, lambda, L (ISTA's step is 1/L), repetitions, learning rate

Both networks start at ISTA (LISTA: W1_t = A^T / L, W2_t = I - A^T A / L, theta_t = lambda / L;
SLISTA: alpha_t = 1 / L), with one parameter set per layer, z_0 = 0. The loss is the
unsupervised one of Ablin et al. (2019): the mean Lasso objective 1/B sum_i 1/2 ||y_i - A z_i||^2
+ lambda ||z_i||_1 at the output of a batch of B signals. One epoch visits the N signals in order,
B at a time; a training epoch is forward, loss, autograd backward and an SGD step per batch, a
forward epoch runs the network without recording a graph (torch.no_grad). Computation in float32
with torch.set_num_threads(2). Each timing is the median of `repetitions` epochs after one untimed
warm-up epoch; the parameters are reset to the ISTA initialisation before every epoch.

Prints one JSON object on stdout: versions, threads, and per model the seconds per epoch and the
loss of the first batch at the initialisation (a check that both sides train the same network).
"""

import json
import os
import sys
import time

import numpy as np
import torch


def soft_threshold(x, t):
    return torch.sign(x) * torch.relu(torch.abs(x) - t)


class Lista(torch.nn.Module):
    """z_{t+1} = ST(W1_t y + W2_t z_t, theta_t) in row form: ST(Y W1_t^T + Z W2_t^T, theta_t)."""

    def __init__(self, A, lam, L, T):
        super().__init__()
        n, m = A.shape
        W1 = A.T / L
        W2 = torch.eye(m, dtype=A.dtype) - A.T @ A / L
        self.W1 = torch.nn.ParameterList([torch.nn.Parameter(W1.clone()) for _ in range(T)])
        self.W2 = torch.nn.ParameterList([torch.nn.Parameter(W2.clone()) for _ in range(T)])
        self.theta = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.tensor(lam / L, dtype=A.dtype)) for _ in range(T)]
        )
        self.m = m

    def forward(self, Y):
        Z = Y.new_zeros((Y.shape[0], self.m))
        for W1, W2, theta in zip(self.W1, self.W2, self.theta):
            Z = soft_threshold(Y @ W1.T + Z @ W2.T, theta)
        return Z


class Slista(torch.nn.Module):
    """z_{t+1} = ST(z_t - alpha_t A^T (A z_t - y), lambda alpha_t), in row form."""

    def __init__(self, A, lam, L, T):
        super().__init__()
        self.A = A
        self.lam = lam
        self.alpha = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.tensor(1.0 / L, dtype=A.dtype)) for _ in range(T)]
        )

    def forward(self, Y):
        A = self.A
        Z = Y.new_zeros((Y.shape[0], A.shape[1]))
        for alpha in self.alpha:
            R = Z @ A.T - Y
            Z = soft_threshold(Z - alpha * (R @ A), self.lam * alpha)
        return Z


def unsupervised_loss(A, Y, Z, lam):
    R = Z @ A.T - Y
    return (0.5 * (R * R).sum() + lam * Z.abs().sum()) / Y.shape[0]


def train_epoch(model, A, Y, lam, batch, lr):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for start in range(0, Y.shape[0], batch):
        Yb = Y[start : start + batch]
        opt.zero_grad(set_to_none=True)
        loss = unsupervised_loss(A, Yb, model(Yb), lam)
        loss.backward()
        opt.step()


def forward_epoch(model, Y, batch):
    with torch.no_grad():
        for start in range(0, Y.shape[0], batch):
            model(Y[start : start + batch])


def median_epoch(make, run, reps):
    """Median seconds of run(model) over reps epochs, each from a fresh model, after a warm-up epoch."""
    run(make())
    times = []
    for _ in range(reps):
        model = make()
        t0 = time.perf_counter()
        run(model)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main():
    folder = sys.argv[1]
    load = lambda name: np.load(os.path.join(folder, name))
    T, batch, lam, L, reps, lr = (float(v) for v in load("config.npy"))
    T, batch, reps = int(T), int(batch), int(reps)
    torch.set_num_threads(2)
    A = torch.from_numpy(load("A.npy")).to(torch.float32)
    Y = torch.from_numpy(load("Y.npy")).to(torch.float32)

    models = {
        "lista": lambda: Lista(A, lam, L, T),
        "slista": lambda: Slista(A, lam, L, T),
    }
    out = {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE",)},
        "dtype": "float32",
        "models": {},
    }
    for name, make in models.items():
        with torch.no_grad():
            Yb = Y[:batch]
            initial_loss = float(unsupervised_loss(A, Yb, make()(Yb), lam))
        out["models"][name] = {
            "initialLoss": initial_loss,
            "forwardSecondsPerEpoch": median_epoch(make, lambda model: forward_epoch(model, Y, batch), reps),
            "trainSecondsPerEpoch": median_epoch(
                make, lambda model: train_epoch(model, A, Y, lam, batch, lr), reps
            ),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
