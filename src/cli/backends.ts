/**
 * Which compute backends this installation can use, without loading them (module resolution
 * only: loading gpu.js would open a GL context).
 *
 * @module
 */
import { createRequire } from 'node:module';

/** One backend and whether it can run here. */
export interface BackendStatus {
  name: string;
  available: boolean;
  detail: string;
}

function resolvable(specifier: string, from: string = import.meta.url): string | null {
  try {
    return createRequire(from).resolve(specifier);
  } catch {
    return null;
  }
}

/** The CPU reference backend, and the gpu.js backend with its prerequisites (gpu.js, headless-gl, a display). */
export function backendStatus(): BackendStatus[] {
  const gpuJs = resolvable('gpu.js');
  // headless-gl is gpu.js's optional dependency: resolved from gpu.js, as gpu.js will.
  const gl = gpuJs === null ? null : resolvable('gl', gpuJs);
  const display = process.env.DISPLAY !== undefined && process.env.DISPLAY !== '';
  const webgl =
    gl === null
      ? 'headless-gl not installed (gpu.js runs webasm or cpu)'
      : display
        ? `headless-gl installed, display ${process.env.DISPLAY}`
        : 'headless-gl installed but no X display (run under xvfb-run -a for WebGL; else webasm or cpu)';
  return [
    { name: 'cpu', available: true, detail: 'Float64 reference kernels (always available)' },
    {
      name: 'gpu',
      available: gpuJs !== null,
      detail:
        gpuJs === null
          ? "gpu.js not installed: npm install gpu.js@~2.24.1 (then createGpuBackend from 'unfolded/gpu')"
          : `gpu.js installed (createGpuBackend from 'unfolded/gpu'); ${webgl}`,
    },
  ];
}
