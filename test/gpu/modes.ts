/**
 * The gpu.js modes of the parity suite and whether each can run on this machine. Each mode that
 * cannot run has a reason, which the suite prints (a skipped mode is never silent). WebGL and
 * WebGL2 exist only in a browser: the browser end-to-end test covers them.
 */
import { createGpuBackend, KERNEL_CLASS, type GpuJsBackend } from '../../src/gpu/index.js';

/** The modes tried in Node, in gpu.js's order of preference. */
export const NODE_MODES = ['headlessgl', 'webasm', 'cpu'] as const;
export type NodeMode = (typeof NODE_MODES)[number];

/** A mode with its backend, or the reason it cannot run here. */
export interface ModeStatus {
  readonly mode: NodeMode;
  readonly kernelClass: string;
  readonly backend: GpuJsBackend | null;
  readonly reason: string;
}

/** Tries every Node mode once (the caller destroys the backends). */
export async function probeModes(): Promise<ModeStatus[]> {
  const out: ModeStatus[] = [];
  for (const mode of NODE_MODES) {
    const kernelClass = KERNEL_CLASS[mode];
    try {
      out.push({ mode, kernelClass, backend: await createGpuBackend({ mode }), reason: '' });
    } catch (e) {
      const hint =
        mode === 'headlessgl'
          ? ' (headless-gl needs the gl package built from source and an X display: run under xvfb-run -a; .ci/run does)'
          : '';
      out.push({ mode, kernelClass, backend: null, reason: (e as Error).message + hint });
    }
  }
  for (const s of out)
    if (s.backend === null) console.warn(`[gpu parity] mode '${s.mode}' skipped: ${s.reason}`);
  console.warn(
    "[gpu parity] modes 'webgl2' and 'webgl' skipped in Node: browser only (the browser end-to-end test runs WebGL2)",
  );
  return out;
}
