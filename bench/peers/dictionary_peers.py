"""Peer of `npm run bench -- dictionary`: scikit-learn's image-denoising example on the same image.

Run by bench/dictionary.ts (never by the tests; the project does not need Python):

    python3 bench/peers/dictionary_peers.py DIR

DIR holds what the benchmark exported as .npy files:
    noisy.npy   (H, W) the noisy image (clean + Gaussian noise of std sigma, drawn by the benchmark)
    config.npy  (9,)   patch p, atoms, training patches, sigma, seed, batch size, max_iter, alpha,
                       OMP non-zeros

The recipe is the one of scikit-learn's example "Image denoising using dictionary learning"
(examples/decomposition/plot_image_denoising.py, as of scikit-learn 1.1 / 1.2), on the whole image
instead of its right half and with the benchmark's sizes:

1. Learning: `training patches` p x p patches drawn at random by extract_patches_2d (max_patches,
   random_state = seed), each pixel centred and scaled to unit variance over the patches (as the
   example does), then MiniBatchDictionaryLearning(n_components=atoms, batch_size, alpha,
   max_iter, random_state=seed) with the example's batch_size=200, alpha=1.0, max_iter=10 (the
   example learns 50 atoms; here as many as ours).
2. Coding every overlapping patch (extract_patches_2d of the whole image), then
   reconstruct_from_patches_2d (the mean of the overlapping estimates), in two variants with the
   same dictionary:
   - 'omp2', the example's: each pixel's mean over all patches (the "intercept") removed,
     dico.transform with transform_algorithm='omp', transform_n_nonzero_coefs=2, the intercept
     added back;
   - 'omp-tol', error-constrained: each patch's own mean (its DC) removed and added back (the
     preprocessing of ours, src/dictionary/denoise.ts), OMP stopped per patch once the squared
     residual is <= (1.15 sigma)^2 p^2 (K-SVD denoising's rule, as ours; scikit-learn's tol
     overrides any cap on the atoms, ours also stops at p^2 / 2 atoms). scikit-learn 1.2's transform cannot do this: its sparse_encode documents
     `alpha` as OMP's tolerance, but its _sparse_encode calls orthogonal_mp_gram with tol=None
     and n_nonzero_coefs = n_features / 10 instead (measured: 6 atoms for every patch). So this
     variant calls scikit-learn's orthogonal_mp_gram (what transform calls) with tol itself, on
     chunks of CHUNK patches (the Gram matrix once, the correlations per chunk).

Threads: BLAS limited to 2 (threadpoolctl, and OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set by the
benchmark), n_jobs=None (one process). Times are wall-clock seconds (time.perf_counter): 'learn'
from the training-patch extraction to the fitted dictionary, 'code' per variant from the patch
extraction to the reconstructed image.

Writes DIR/<variant>.npy (the denoised images, float64) and prints one JSON object on stdout:
versions, threads, parameters, the learning time, the number of epochs and steps run, and per
variant the coding time and the mean number of atoms per patch. PSNR is computed by the benchmark.
"""

import json
import os
import sys
import time

import numpy as np
import scipy
import sklearn
from sklearn.decomposition import MiniBatchDictionaryLearning
from sklearn.feature_extraction.image import extract_patches_2d, reconstruct_from_patches_2d
from sklearn.linear_model import orthogonal_mp_gram
from threadpoolctl import threadpool_info, threadpool_limits

THREADS = 2
# Patches per chunk of the error-constrained coding (correlations of 256 x 16384 doubles, 32 MB).
CHUNK = 16384


def code_omp2(dico, V, noisy, p, nonzero):
    """The example's coding: intercept removed, OMP with `nonzero` atoms; image and mean atoms."""
    data = extract_patches_2d(noisy, (p, p))
    data = data.reshape(data.shape[0], -1)
    intercept = np.mean(data, axis=0)
    data -= intercept
    dico.set_params(transform_algorithm="omp", transform_n_nonzero_coefs=nonzero, transform_alpha=None)
    code = dico.transform(data)
    patches = code @ V + intercept
    image = reconstruct_from_patches_2d(patches.reshape(len(data), p, p), noisy.shape)
    return image, float(np.count_nonzero(code) / code.shape[0])


def code_omp_tol(V, noisy, p, tol):
    """Error-constrained OMP of the DC-removed patches (see the module notes); image and mean atoms."""
    data = extract_patches_2d(noisy, (p, p))
    data = data.reshape(data.shape[0], -1)
    dc = data.mean(axis=1, keepdims=True)
    data -= dc
    gram = V @ V.T
    patches = np.empty_like(data)
    atoms = 0
    for first in range(0, len(data), CHUNK):
        x = data[first : first + CHUNK]
        code = orthogonal_mp_gram(
            gram,
            V @ x.T,
            tol=tol,
            norms_squared=np.einsum("ij,ij->i", x, x),
            copy_Xy=False,
        ).T
        atoms += np.count_nonzero(code)
        patches[first : first + CHUNK] = code @ V
    patches += dc
    image = reconstruct_from_patches_2d(patches.reshape(len(data), p, p), noisy.shape)
    return image, float(atoms / len(data))


def main():
    folder = sys.argv[1]
    noisy = np.load(os.path.join(folder, "noisy.npy"))
    p, atoms, train, sigma, seed, batch, max_iter, alpha, nonzero = (
        float(v) for v in np.load(os.path.join(folder, "config.npy"))
    )
    p, atoms, train, seed, batch, max_iter, nonzero = (
        int(p),
        int(atoms),
        int(train),
        int(seed),
        int(batch),
        int(max_iter),
        int(nonzero),
    )
    tol = (1.15 * sigma) ** 2 * p * p

    with threadpool_limits(limits=THREADS):
        t0 = time.perf_counter()
        data = extract_patches_2d(noisy, (p, p), max_patches=train, random_state=seed)
        data = data.reshape(data.shape[0], -1)
        data -= np.mean(data, axis=0)
        data /= np.std(data, axis=0)
        dico = MiniBatchDictionaryLearning(
            n_components=atoms, batch_size=batch, alpha=alpha, max_iter=max_iter, random_state=seed
        )
        V = dico.fit(data).components_
        learn_seconds = time.perf_counter() - t0

        variants = {}
        codings = {
            "omp2": lambda: code_omp2(dico, V, noisy, p, nonzero),
            "omp-tol": lambda: code_omp_tol(V, noisy, p, tol),
        }
        for variant, run in codings.items():
            t0 = time.perf_counter()
            image, mean_atoms = run()
            code_seconds = time.perf_counter() - t0
            np.save(os.path.join(folder, f"{variant}.npy"), image)
            variants[variant] = {
                "codeSeconds": code_seconds,
                "totalSeconds": learn_seconds + code_seconds,
                "meanAtoms": mean_atoms,
            }
        blas = [
            {k: info.get(k) for k in ("internal_api", "version", "num_threads")}
            for info in threadpool_info()
        ]

    print(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "scipy": scipy.__version__,
                "threads": THREADS,
                "blas": blas,
                "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OMP_NUM_THREADS")},
                "parameters": {
                    "patch": p,
                    "nComponents": atoms,
                    "trainPatches": int(data.shape[0]),
                    "batchSize": batch,
                    "alpha": alpha,
                    "maxIter": max_iter,
                    "randomState": seed,
                    "transformNonzeroCoefs": nonzero,
                    "ompTol": tol,
                },
                "learnSeconds": learn_seconds,
                "epochs": int(dico.n_iter_),
                "steps": int(dico.n_steps_),
                "variants": variants,
            }
        )
    )


if __name__ == "__main__":
    main()
