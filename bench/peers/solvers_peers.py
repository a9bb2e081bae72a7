"""Peers of `npm run bench -- solvers`: scikit-learn's coordinate descent and a vectorised NumPy FISTA.

Run by bench/solvers.ts (never by the tests; the project does not need Python):

    python3 bench/peers/solvers_peers.py DIR

DIR holds the problem exported by the benchmark as .npy files:
    A.npy          (n, m) dictionary, atoms as columns
    Y.npy          (N, n) signals, one per row
    lambdas.npy    (N,)   per-sample lambda_i = 0.1 ||A^T y_i||_inf (the issue's problem)
    common.npy     (1,)   one lambda shared by every sample (the sparse_encode comparison)
    lipschitz.npy  (1,)   L, the benchmark's upper bound of ||A||_2^2 (FISTA's step is 1/L)
    config.npy     (4,)   gap target, FISTA iterations to time, repetitions, FISTA iterations to export

It writes the codes it computed back into DIR (sk_common.npy, sk_default.npy, sk_per_sample.npy,
fista_k.npy), so that the benchmark computes their duality gaps with its own code, and prints
one JSON object on stdout with the timings and the BLAS in use.

Problem solved: per sample, F(z) = 1/2 ||y - A z||^2 + lambda ||z||_1. scikit-learn's
sparse_encode(algorithm='lasso_cd', alpha=a) fits Lasso(alpha=a / n_features) with
X = A (n rows) and target y: (1 / (2 n)) ||y - A w||^2 + (a / n) ||w||_1 = F(w) / n with lambda = a,
the same minimiser. sparse_encode has no tolerance argument (Lasso's default tol = 1e-4 applies), and
Lasso's coordinate descent stops when its duality gap of F is < tol * ||y||^2, checked per target.
So the timed run is sparse_encode's own lasso_cd code path (the same Lasso construction and fit
call, with the Gram matrix precomputed as sparse_encode does) with tol = gap / max_i ||y_i||^2,
which certifies gap <= target on every sample by sklearn's own criterion; the benchmark verifies it.
"""

import json
import os
import sys
import time
import warnings

import numpy as np


def median_time(fn, reps):
    """Median wall time of fn() over reps calls, after one untimed warm-up call; returns (seconds, last result)."""
    out = fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), out


def lasso_cd(A, Y, alpha, gram, tol, max_iter):
    """sparse_encode's lasso_cd path (sklearn/decomposition/_dict_learning.py) with `tol` exposed."""
    from sklearn.linear_model import Lasso

    n_features = Y.shape[1]
    clf = Lasso(
        alpha=alpha / n_features,
        fit_intercept=False,
        precompute=gram,
        max_iter=max_iter,
        warm_start=True,
        tol=tol,
    )
    clf.fit(np.asfortranarray(A), Y.T, check_input=False)  # as sparse_encode: dictionary.T, F-ordered
    return np.atleast_2d(clf.coef_)


def lasso_cd_per_sample(A, Y, lambdas, gram, tol, max_iter):
    """The same Lasso, one fit per sample with its own alpha (sparse_encode takes one alpha)."""
    from sklearn.linear_model import Lasso

    n_features = Y.shape[1]
    Z = np.empty((Y.shape[0], A.shape[1]))
    A = np.asfortranarray(A)
    for i in range(Y.shape[0]):
        clf = Lasso(
            alpha=lambdas[i] / n_features,
            fit_intercept=False,
            precompute=gram,
            max_iter=max_iter,
            tol=tol,
        )
        clf.fit(A, Y[i], check_input=False)
        Z[i] = clf.coef_
    return Z


def fista_numpy(A, Y, lambdas, L, iterations):
    """FISTA from zero codes, every sample at once, step 1/L; buffers preallocated, matrix products by BLAS."""
    N, m = Y.shape[0], A.shape[1]
    At = np.ascontiguousarray(A.T)
    thr = (lambdas / L)[:, None]
    neg_thr = -thr
    X = np.zeros((N, m))
    Xn = np.zeros((N, m))
    V = np.zeros((N, m))  # the extrapolated point, then the gradient step
    G = np.zeros((N, m))
    R = np.zeros((N, A.shape[0]))
    T = np.zeros((N, m))
    t = 1.0
    for _ in range(iterations):
        np.matmul(V, At, out=R)  # R = V A^T - Y
        R -= Y
        np.matmul(R, A, out=G)  # gradient
        G *= -1.0 / L
        G += V
        np.minimum(G, thr, out=T)  # soft threshold: x - clip(x, -thr, thr) (np.clip is slower)
        np.maximum(T, neg_thr, out=T)
        np.subtract(G, T, out=Xn)
        t_next = (1.0 + np.sqrt(1.0 + 4.0 * t * t)) / 2.0
        np.subtract(Xn, X, out=V)
        V *= (t - 1.0) / t_next
        V += Xn
        X, Xn = Xn, X
        t = t_next
    return X


def main():
    folder = sys.argv[1]
    load = lambda name: np.load(os.path.join(folder, name))
    A, Y, lambdas = load("A.npy"), load("Y.npy"), load("lambdas.npy")
    common = float(load("common.npy")[0])
    L = float(load("lipschitz.npy")[0])
    gap_target, fista_iters, reps, fista_export = (float(v) for v in load("config.npy"))
    fista_iters, reps, fista_export = int(fista_iters), int(reps), int(fista_export)

    import sklearn
    from threadpoolctl import threadpool_info, threadpool_limits
    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("error", ConvergenceWarning)  # a non-converged fit must not pass silently

    out = {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
        "blas": [
            {k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for info in threadpool_info()
            if info.get("user_api") == "blas"
        ],
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
    }

    gram = A.T @ A  # sparse_encode computes dictionary @ dictionary.T with atoms as rows: the same
    ynorm2 = np.einsum("ij,ij->i", Y, Y)
    sk_tol = gap_target / float(ynorm2.max())
    max_iter = 100000

    with threadpool_limits(1):
        from sklearn.decomposition import sparse_encode

        # 1. sparse_encode as shipped (default tol 1e-4): fast, but not certified to the target.
        t_default, Zd = median_time(
            lambda: sparse_encode(Y, A.T, algorithm="lasso_cd", alpha=common, max_iter=max_iter), reps
        )
        # 2. The same code path with the tolerance that certifies the gap target.
        t_common, Zc = median_time(lambda: lasso_cd(A, Y, common, gram, sk_tol, max_iter), reps)
        # 3. Per-sample lambda_i (the problem), one Lasso fit per sample.
        t_per, Zp = median_time(lambda: lasso_cd_per_sample(A, Y, lambdas, gram, sk_tol, max_iter), 1)

    fista = {}
    for threads in (1, 2):
        with threadpool_limits(threads):
            t, _ = median_time(lambda: fista_numpy(A, Y, lambdas, L, fista_iters), reps)
            fista[str(threads)] = t / fista_iters
    Zf = fista_numpy(A, Y, lambdas, L, fista_export)

    for name, Z in (("sk_default", Zd), ("sk_common", Zc), ("sk_per_sample", Zp), ("fista_k", Zf)):
        np.save(os.path.join(folder, name + ".npy"), np.ascontiguousarray(Z, dtype=np.float64))

    out.update(
        {
            "sklearnTol": sk_tol,
            "sklearnMaxIter": max_iter,
            "sparseEncodeDefaultSeconds": t_default,
            "sklearnCommonSeconds": t_common,
            "sklearnPerSampleSeconds": t_per,
            "numpyFistaSecondsPerIteration": fista,
            "numpyFistaIterationsTimed": fista_iters,
            "repetitions": reps,
        }
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
