/**
 * The GPU backend (gpu.js), reached through the subpath export `unfolded/gpu`.
 *
 * Not built yet: this placeholder keeps the subpath in the package's exports map so that
 * imports resolve, and fails with a clear message when used.
 *
 * @module
 */

/** Options of the GPU backend (to be defined with the backend itself). */
export interface GpuBackendOptions {
  mode?: 'gpu' | 'webgl' | 'webgl2' | 'headlessgl' | 'webasm' | 'cpu';
}

/** Always rejects for now: the gpu.js backend is not built yet. */
export function createGpuBackend(options: GpuBackendOptions = {}): Promise<never> {
  void options;
  return Promise.reject(
    new Error(
      "unfolded/gpu: the gpu.js backend is not built yet in this version; use the CPU functions of 'unfolded'.",
    ),
  );
}
