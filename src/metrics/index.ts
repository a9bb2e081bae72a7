/**
 * Quality measures of solutions: NMSE of codes in dB, suboptimality F - F*, PSNR.
 *
 * @module
 */
export { nmseDb } from './nmse.js';
export { suboptimality } from './suboptimality.js';
export { psnr } from './psnr.js';
