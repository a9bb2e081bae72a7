/**
 * Data for experiments: synthetic sparse-coding problems, image patches.
 *
 * @module
 */
export { syntheticProblem, type SyntheticOptions, type SyntheticProblem } from './synthetic.js';
export { averagePatches, extractPatches } from './patches.js';
