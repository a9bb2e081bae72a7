/**
 * A synthesis Lasso problem checked once and shared by every solver: a dense dictionary A (n, m),
 * signals Y (N, n) and one lambda per sample. Quantities that several solvers need (the
 * Lipschitz constant, the Gram matrix A^T A, the correlations Y A, A^T as a matrix) are computed
 * on first use and cached.
 *
 * @module
 */
import { checkNumber, checkTensor } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { gram, matmul } from '../linalg/gemm.js';
import { transpose } from '../tensor/views.js';
import { checkLambda } from '../problems/lambda.js';
import { rowNormsInfInto } from '../linalg/norms.js';
import { lipschitzConstant } from '../problems/lipschitz.js';

/** lambda as given: one number, one per sample, or a ratio of each sample's lambdaMax. */
export type LambdaSpec = number | Tensor | { ratio: number };

export class LassoProblem {
  /** Number of samples N, signal length n, code length m. */
  readonly N: number;
  readonly n: number;
  readonly m: number;
  /** One lambda per sample (length N). */
  readonly lambdas: Float64Array;
  #lipschitz: number | undefined;
  #gram: Tensor | undefined;
  #at: Tensor | undefined;
  #ya: Tensor | undefined;

  /** @internal use {@link lassoProblem}. */
  constructor(
    /** The dictionary (n, m), atoms as columns. */
    readonly A: Tensor,
    /** The signals (N, n), one per row. */
    readonly Y: Tensor,
    lambdas: Float64Array,
  ) {
    [this.N, this.n] = Y.shape;
    this.m = A.shape[1];
    this.lambdas = lambdas;
  }

  /** The lambdas as a tensor of shape [N]. */
  get lambda(): Tensor {
    return wrap(this.lambdas.slice(), [this.N]);
  }

  /**
   * An upper bound of L = ||A||_2^2 (the Lipschitz constant of the smooth part's gradient), so that
   * 1/L is a safe step (see lipschitzConstant's `upperBound`).
   */
  get lipschitz(): number {
    this.#lipschitz ??= lipschitzConstant(this.A, { upperBound: true }).value;
    return this.#lipschitz;
  }

  /** The Gram matrix A^T A (m, m). */
  get gram(): Tensor {
    this.#gram ??= gram(this.A);
    return this.#gram;
  }

  /** The correlations Y A (N, m): row i is A^T y_i (for gradients through the Gram matrix). */
  get YA(): Tensor {
    this.#ya ??= matmul(this.Y, this.A);
    return this.#ya;
  }

  /** A^T (m, n), contiguous. */
  get At(): Tensor {
    this.#at ??= transpose(this.A);
    return this.#at;
  }
}

/**
 * A Lasso problem min_z 1/2||y_i - A z||^2 + lambda_i ||z||_1 for each row y_i of Y. `lambda` is a
 * number, a tensor of shape [N], or `{ ratio: r }` for lambda_i = r * ||A^T y_i||_inf.
 */
export function lassoProblem(A: Tensor, Y: Tensor, lambda: LambdaSpec, fn = 'lassoProblem'): LassoProblem {
  checkTensor(fn, 'A', A, { rank: 2 });
  checkTensor(fn, 'Y', Y, { rank: 2, shape: [-1, A.shape[0]] });
  const N = Y.shape[0];
  if (lambda !== null && typeof lambda === 'object' && !('shape' in lambda) && 'ratio' in lambda) {
    const ratio = checkNumber(fn, 'lambda.ratio', lambda.ratio, { min: 0 });
    const problem = new LassoProblem(A, Y, new Float64Array(N));
    // lambdaMax_i = ||A^T y_i||_inf is a row norm of Y A, which the problem caches for the solvers.
    rowNormsInfInto(unsafeData(problem.YA), N, problem.m, problem.lambdas);
    for (let i = 0; i < N; i++) problem.lambdas[i] *= ratio;
    return problem;
  }
  const checked = checkLambda(fn, lambda, N);
  return new LassoProblem(
    A,
    Y,
    checked.length === N ? checked.slice() : new Float64Array(N).fill(checked[0]),
  );
}
