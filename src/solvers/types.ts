/**
 * The solver contract (DESIGN.md): `init` / `step` over an immutable state, and one run loop
 * ({@link runSolver}) that stops on a duality-gap tolerance (every sample must meet it) or an
 * iteration cap and reports history through a callback, never by printing.
 *
 * States are immutable: `step` returns a new state and never writes into the old one (it may
 * allocate the next iterate's buffers; the inner loops themselves allocate nothing).
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';

/** What every solver state carries. */
export interface SolverState {
  /** Iterations done so far (0 after init). */
  readonly iteration: number;
}

/** A certificate of a batch at an iterate: the reported objective and gaps. */
export interface Certificate {
  /** Mean objective over samples. */
  meanObjective: number;
  /** Per-sample duality gaps (length N); every sample is within its gap of its optimum. */
  gaps: Float64Array;
  /** Largest gap (the stopping criterion), NaN if any gap is NaN. */
  maxGap: number;
  /** Mean gap. */
  meanGap: number;
}

/** An iterative solver of problem type P with state S. */
export interface IterativeSolver<P, S extends SolverState> {
  /** Name used in messages and reports, e.g. 'fista'. */
  readonly name: string;
  /** The state before the first iteration; `warmStart` (codes or primal iterate) when given. */
  init(problem: P, warmStart?: Tensor): S;
  /** One iteration: a new state. */
  step(problem: P, state: S): S;
  /** The current solution estimate (N, m). */
  solution(problem: P, state: S): Tensor;
  /** The objective and duality gaps at the current state. */
  certificate(problem: P, state: S): Certificate;
}

/** One line of history: reported to the callback every `checkEvery` iterations. */
export interface IterationRecord {
  iteration: number;
  meanObjective: number;
  maxGap: number;
  meanGap: number;
  /** Wall time since the run started. */
  seconds: number;
}

/** Options of {@link runSolver}. */
export interface RunOptions {
  /** Iteration cap (default 1000). */
  maxIter?: number;
  /** Stop when every sample's duality gap is <= tol (default 1e-8; 0 runs to the cap). */
  tol?: number;
  /** Evaluate the certificate every this many iterations (default 1); also at the end. */
  checkEvery?: number;
  /** Warm start: initial codes (N, m) (or the solver's primal iterate). */
  warmStart?: Tensor;
  /** Called with each certificate; return `false` to stop early. */
  callback?: (record: IterationRecord) => void | boolean;
}

/** What a run returns. */
export interface SolveResult {
  /** Solver name. */
  solver: string;
  /** The solution estimate (N, m). */
  Z: Tensor;
  /** Iterations done. */
  iterations: number;
  /** Whether every sample's gap reached `tol`. */
  converged: boolean;
  /** Mean objective at the end. */
  meanObjective: number;
  /** Largest and mean duality gaps at the end. */
  maxGap: number;
  meanGap: number;
  /** Per-sample gaps at the end, shape [N]. */
  gaps: Tensor;
  /** Wall time. */
  seconds: number;
}
