/**
 * Proximal operators, one file each, all following the {@link ProxOperator} contract
 * prox(x, hyper, scaling) = argmin_u 1/2||x - u||² + scaling g(u; hyper), with `value` and an
 * a.e. `vjp`: thresholds (soft, non-negative soft, hard, firm / MCP, elastic net, group), projections
 * and the TV-1D prox. Each thresholding file also exports unchecked, allocation-free `*Into`
 * kernels for the hot loops of solvers and unrolled layers.
 *
 * @module
 */
export * from './types.js';
export * from './hyper.js';
export * from './soft-threshold.js';
export * from './nonneg-soft-threshold.js';
export * from './hard-threshold.js';
export * from './firm-threshold.js';
export * from './elastic-net.js';
export * from './group-soft-threshold.js';
export * from './projections.js';
export * from './tv1d.js';
