/**
 * Seeded randomness: the Rng stream and random tensors.
 *
 * @module
 */
export { Rng, toRng, type RandomSource } from './rng.js';
export * from './sample.js';
