/**
 * Which compute backends this installation can use, without loading them.
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

function resolvable(specifier: string): string | null {
  try {
    return createRequire(import.meta.url).resolve(specifier);
  } catch {
    return null;
  }
}

/** The CPU reference backend, and the GPU backend's prerequisites (gpu.js, headless-gl). */
export function backendStatus(): BackendStatus[] {
  const gpuJs = resolvable('gpu.js');
  const gl = resolvable('gl');
  return [
    { name: 'cpu', available: true, detail: 'Float64 reference kernels (always available)' },
    {
      name: 'gpu',
      available: false,
      detail:
        'gpu.js backend not built yet' +
        ` (gpu.js ${gpuJs ? 'installed' : 'not installed: npm install gpu.js@2.24.1'},` +
        ` headless-gl ${gl ? 'installed' : 'not installed'})`,
    },
  ];
}
