/**
 * Seeded random numbers on pure-rand's xoroshiro128+ generator. An `Rng` is a stream: every
 * draw advances it, so pass the same Rng along a computation, or a seed to start a fresh one.
 * The same seed gives bit-identical numbers on every run and machine with the same JavaScript
 * engine (no Math.random; the integer path is exact). Normals use Math.log, sin and cos, whose
 * last bit may differ between engine versions: Node 20's V8 and Chromium 156's disagree on a few
 * percent of inputs, so a draw can differ in the last bit between them.
 *
 * @module
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { checkInteger, typeError } from '../validate/index.js';

type Generator = ReturnType<typeof xoroshiro128plusFromState>;

/** A seeded stream of random numbers. */
export class Rng {
  #gen: Generator;
  /** Box-Muller yields normals in pairs; the second one waits here. */
  #spareNormal: number | null = null;

  /** @param seed an integer; equal seeds give equal streams. */
  constructor(seed: number) {
    checkInteger('Rng', 'seed', seed, { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    this.#gen = xoroshiro128plusFromState(seedState(seed));
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.#gen);
  }

  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.#gen, from, to);
  }

  /** Standard normal N(0, 1) by the Box-Muller transform. */
  normal(): number {
    if (this.#spareNormal !== null) {
      const z = this.#spareNormal;
      this.#spareNormal = null;
      return z;
    }
    const u1 = 1 - this.uniform(); // in (0, 1], so the log is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.#spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /**
   * An independent stream split off this one (for parallel or nested work): the child is a
   * copy jumped 2^64 steps ahead, so the two never overlap in practice.
   */
  split(): Rng {
    const child = new Rng(0);
    child.#gen = this.#gen.clone();
    child.#gen.jump();
    this.#gen.next(); // the parent moves on too, so that repeated splits differ
    return child;
  }
}

/**
 * The 128-bit generator state for a seed. pure-rand's own seeding puts the seed into the state
 * nearly as is, so small or nearby seeds start with correlated, near-1 outputs; here all 53 bits
 * of the seed go through the splitmix32 mixer (integer-only, hence identical everywhere) first.
 */
function seedState(seed: number): number[] {
  let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b1);
  const words: number[] = [];
  for (let k = 0; k < 4; k++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    words.push((z ^ (z >>> 16)) | 0);
  }
  // An all-zero state would be a fixed point of the generator; the mixer is a bijection of the
  // incrementing counter, so the four words cannot all be zero.
  return words;
}

/** A seed or an existing generator: what every random function accepts. */
export type RandomSource = number | Rng;

/** The generator for a source: a fresh one for a seed, the same object for an Rng. */
export function toRng(fn: string, source: RandomSource): Rng {
  if (source instanceof Rng) return source;
  if (typeof source !== 'number') typeError(fn, 'seed', 'an integer seed or an Rng', source);
  checkInteger(fn, 'seed', source, { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
  return new Rng(source);
}
