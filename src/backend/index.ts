/**
 * Compute backends: the {@link Backend} interface of the hot kernels and the CPU reference
 * backend. The gpu.js backend is the separate entry `unfolded/gpu`.
 *
 * @module
 */
export type { Backend, DeviceMatrix, Thresholds } from './types.js';
export { cpuBackend } from './cpu.js';
export { checkBackend } from './check.js';
