/**
 * Linear operators: the LinearOperator contract, concrete operators (dense, identity, diagonal,
 * mask, compressed sensing, convolutions, finite differences, DCT), combinators, and the generic
 * power-iteration norm.
 *
 * @module
 */
export type { LinearOperator, NormEstimate } from './types.js';
export {
  defineOperator,
  checkOperator,
  operatorApplyInto,
  operatorAdjointInto,
  type KernelOperator,
  type OperatorSpec,
  type RowKernel,
  type BatchKernel,
} from './define.js';
export {
  normOfOperator,
  OPERATOR_NORM_TOL,
  OPERATOR_NORM_MAX_ITER,
  OPERATOR_NORM_BLOCK,
  OPERATOR_NORM_LARGE,
  type OperatorNormOptions,
  type OperatorNormResult,
} from './norm.js';
export { matrixOperator, type MatrixOperator } from './matrix.js';
export { identityOperator } from './identity.js';
export { diagonalOperator } from './diagonal.js';
export { maskOperator, type MaskOperator, type MaskOptions } from './mask.js';
export { gaussianSensingOperator } from './gaussian-sensing.js';
export { subsampledOrthogonalOperator, type SubsampledOrthogonalOperator } from './subsampled-orthogonal.js';
export type { ConvolutionBoundary } from './convolution-plan.js';
export { convolution1d } from './convolution1d.js';
export { convolution2d } from './convolution2d.js';
export { differences1d } from './differences1d.js';
export { differences2d } from './differences2d.js';
export { dctMatrix } from './dct-basis.js';
export { dct2Operator } from './dct2.js';
export { dctDictionary } from './dct-dictionary.js';
export { compose } from './compose.js';
export { sumOperators } from './sum.js';
export { scaleOperator } from './scale.js';
export { stackOperators } from './stack.js';
export { transposeOperator } from './transpose.js';
