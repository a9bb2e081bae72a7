/**
 * The GPU backend (gpu.js), reached through the subpath export `unfolded/gpu` so that the main
 * entry never loads gpu.js (an optional peer dependency):
 *
 *     import { createGpuBackend } from 'unfolded/gpu';
 *     const backend = await createGpuBackend();          // or { mode: 'headlessgl' | 'webgl2' | ... }
 *     backend.kernelKind;                                  // e.g. 'HeadlessGLKernel'
 *     applyModel(model, Y, { backend });                   // forwardNetwork, trainModel, istaIterations, ...
 *
 * gpu.js chooses among its modes: WebGL through headless-gl in Node (the optional `gl` package,
 * which needs an X display, e.g. Xvfb), WebGL2 / WebGL in a browser, WebAssembly, and plain
 * JavaScript ('cpu'). The backend reports the one that actually runs: `kernelKind` is the kernel
 * class (`gpu.Kernel.name`; gpu.js's `mode` only echoes the request). A specific mode that gpu.js
 * cannot run here is an error rather than a silent fallback.
 *
 * @module
 */
import { checkOneOf, typeError } from '../validate/index.js';
import { GpuJsBackend } from './backend.js';
import type { GpuJsModule } from './gpujs-types.js';

export { GpuJsBackend } from './backend.js';

/** The gpu.js modes that can be requested ('gpu': let gpu.js choose the best available). */
export const GPU_MODES = ['gpu', 'headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu'] as const;

/** A gpu.js mode ({@link GPU_MODES}). */
export type GpuMode = (typeof GPU_MODES)[number];

/** The kernel class gpu.js runs for each specific mode. */
export const KERNEL_CLASS: Readonly<Record<Exclude<GpuMode, 'gpu'>, string>> = Object.freeze({
  headlessgl: 'HeadlessGLKernel',
  webgl2: 'WebGL2Kernel',
  webgl: 'WebGLKernel',
  webasm: 'WebAssemblyKernel',
  cpu: 'CPUKernel',
});

/** The command that installs the backend's dependency. */
export const GPU_INSTALL_COMMAND = 'npm install gpu.js@~2.24.1';

/** Options of {@link createGpuBackend}. */
export interface GpuBackendOptions {
  /** The gpu.js mode (default 'gpu': the best mode gpu.js finds). */
  readonly mode?: GpuMode;
}

/** Loads gpu.js, or fails with the install command. */
async function loadGpuJs(): Promise<GpuJsModule> {
  const specifier = 'gpu.js';
  try {
    const mod = (await import(specifier)) as GpuJsModule & { default?: GpuJsModule };
    return typeof mod.GPU === 'function' ? mod : (mod.default as GpuJsModule);
  } catch (e) {
    throw new Error(
      `unfolded/gpu: the GPU backend needs the optional package gpu.js, which could not be loaded ` +
        `(${(e as Error).message.split('\n')[0]}). Install it with: ${GPU_INSTALL_COMMAND}`,
      { cause: e },
    );
  }
}

/**
 * A gpu.js backend in the requested mode (default 'gpu'). Rejects with an Error that gives the
 * install command when gpu.js is not installed, and when a specific mode cannot run here (for
 * 'headlessgl': the `gl` package and an X display).
 */
export async function createGpuBackend(options: GpuBackendOptions = {}): Promise<GpuJsBackend> {
  const fn = 'createGpuBackend';
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const mode = checkOneOf(fn, 'options.mode', options.mode === undefined ? 'gpu' : options.mode, GPU_MODES);
  const lib = await loadGpuJs();
  let gpu;
  try {
    gpu = new lib.GPU({ mode });
  } catch (e) {
    throw new Error(`unfolded/gpu: gpu.js cannot run in mode '${mode}' here: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const kind = gpu.Kernel.name;
  if (mode !== 'gpu' && kind !== KERNEL_CLASS[mode]) {
    void gpu.destroy();
    throw new Error(
      `unfolded/gpu: gpu.js cannot run in mode '${mode}' here (it would run ${kind}, not ${KERNEL_CLASS[mode]}).`,
    );
  }
  return new GpuJsBackend(lib, gpu, mode);
}
