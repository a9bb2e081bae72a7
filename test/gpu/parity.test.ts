/**
 * The gpu.js backend against the CPU Float64 reference, in every gpu.js mode this machine has
 * (headless-gl under Xvfb, WebAssembly, cpu): every kernel of the Backend interface on the parity
 * shapes (1 x 1, odd, no multiple of any tile, a batch of 1,000), LISTA and SLISTA forward and
 * backward passes, ISTA / FISTA iterations and a short training run; each mode asserts the kernel
 * class that actually ran. Modes that cannot run are skipped with a printed reason.
 *
 * Tolerance (float32 on the device, Float64 reference), stated once: a relative Frobenius error
 * ||x - ref|| / ||ref|| of at most F32_TOL = 1e-5 (DESIGN.md: about 1e-5 relative on norms) for
 * every kernel, every network output and gradient, solver iterate and training loss. Measured
 * here (Mesa llvmpipe, WebAssembly, gpu.js cpu): at most 1e-6 for single kernels (float32
 * rounding of sums of up to 65 terms) and 3e-7 for LISTA / SLISTA of depth 5.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { gaussianMatrix, bernoulliGaussian } from '../../src/random/index.js';
import { matmulNT } from '../../src/linalg/index.js';
import { istaIterations, lassoProblem } from '../../src/solvers/index.js';
import { applyModel, createModel } from '../../src/unrolled/index.js';
import { trainModel } from '../../src/train/index.js';
import { checkKernels, checkNetwork, relativeError } from '../backend/parity.js';
import { probeModes } from './modes.js';

/** The float32 tolerance of every comparison. */
const F32_TOL = 1e-5;

const modes = await probeModes();
afterAll(() => {
  for (const m of modes) m.backend?.destroy();
});

/** Signals of sparse codes through a random operator. */
const signals = (n: number, N: number, seed: number) =>
  matmulNT(bernoulliGaussian(seed, [N, 3 * n], 0.1), gaussianMatrix(seed + 1, n, 3 * n));

for (const { mode, kernelClass, backend, reason } of modes) {
  describe(`gpu.js mode '${mode}'`, () => {
    const label = backend === null ? ` (skipped: ${reason})` : '';
    it.skipIf(backend === null)(`runs ${kernelClass}${label}`, () => {
      expect(backend?.kernelKind).toBe(kernelClass);
      expect(backend?.precision).toBe('float32');
    });

    it.skipIf(backend === null)(
      `every kernel agrees with the CPU reference within ${F32_TOL}${label}`,
      () => {
        if (backend === null) return;
        checkKernels(backend, F32_TOL);
        expect(backend.kernelClassesRun()).toEqual([kernelClass]);
      },
    );

    for (const kind of ['lista', 'slista'] as const)
      it.skipIf(backend === null)(`${kind}: forward and backward agree within ${F32_TOL}${label}`, () => {
        if (backend === null) return;
        const model = createModel(kind, gaussianMatrix(21, 15, 37), { depth: 5, lambda: 0.1 });
        checkNetwork(backend, model, signals(15, 129, 23), F32_TOL);
        expect(backend.kernelClassesRun()).toEqual([kernelClass]);
      });

    it.skipIf(backend === null)(`ISTA and FISTA iterations agree within ${F32_TOL}${label}`, () => {
      if (backend === null) return;
      const A = gaussianMatrix(31, 20, 45);
      const problem = lassoProblem(A, signals(20, 65, 33), { ratio: 0.2 });
      for (const accelerated of [false, true]) {
        const ref = istaIterations(problem, 30, { accelerated });
        const got = istaIterations(problem, 30, { accelerated, backend });
        expect(relativeError(got.Z.data, ref.Z.data)).toBeLessThanOrEqual(F32_TOL);
      }
    });

    it.skipIf(backend === null)(`LISTA trains and infers on the backend like on the CPU${label}`, () => {
      if (backend === null) return;
      const model = createModel('lista', gaussianMatrix(41, 12, 30), { depth: 3, lambda: 0.1 });
      const Y = signals(12, 96, 43);
      const options = { epochs: 2, batch: 32, lr: 1e-3, seed: 4 };
      const ref = trainModel(model, Y, options);
      const got = trainModel(model, Y, { ...options, backend });
      const losses = (r: typeof ref) => r.result.history.map((h) => h.trainLoss);
      expect(relativeError(losses(got), losses(ref))).toBeLessThanOrEqual(F32_TOL);
      expect(losses(got)[2]).toBeLessThan(losses(got)[0]);
      const a = applyModel(ref.model, Y).output;
      const b = applyModel(ref.model, Y, { backend }).output;
      expect(relativeError(b.data, a.data)).toBeLessThanOrEqual(F32_TOL);
      expect(backend.kernelClassesRun()).toEqual([kernelClass]);
    });
  });
}
