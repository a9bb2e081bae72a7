/**
 * Data for experiments: synthetic sparse-coding problems.
 *
 * @module
 */
export { syntheticProblem, type SyntheticOptions, type SyntheticProblem } from './synthetic.js';
