/**
 * Elementwise arithmetic. Binary operations take tensors of the same shape or a tensor and a
 * number; each returns a new tensor. The loops are ndarray-ops' compiled kernels over views of
 * the operands, so this file only checks and allocates.
 *
 * @module
 */
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { checkTensor, rangeError, typeError } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from './tensor.js';

type NdOp = (out: ndarray.NdArray, a: ndarray.NdArray, b: ndarray.NdArray) => unknown;
type NdScalarOp = (out: ndarray.NdArray, a: ndarray.NdArray, s: number) => unknown;

/** A flat ndarray view of a tensor's buffer (elementwise kernels ignore the shape). */
function flatView(data: Float64Array): ndarray.NdArray<Float64Array> {
  return ndarray(data, [data.length]);
}

function binary(fn: string, tensorOp: NdOp, scalarOp: NdScalarOp, a: Tensor, b: Tensor | number): Tensor {
  checkTensor(fn, 'a', a, { finite: false });
  const out = new Float64Array(a.size);
  if (typeof b === 'number') {
    scalarOp(flatView(out), flatView(unsafeData(a)), b);
  } else {
    checkTensor(fn, 'b', b, { finite: false });
    if (b.rank !== a.rank || b.shape.some((d, i) => d !== a.shape[i]))
      rangeError(fn, 'b', `a number or a tensor of shape [${a.shape.join(', ')}]`, b);
    tensorOp(flatView(out), flatView(unsafeData(a)), flatView(unsafeData(b)));
  }
  return wrap(out, a.shape);
}

/** a + b. */
export function add(a: Tensor, b: Tensor | number): Tensor {
  return binary('add', ops.add, ops.adds, a, b);
}

/** a - b. */
export function sub(a: Tensor, b: Tensor | number): Tensor {
  return binary('sub', ops.sub, ops.subs, a, b);
}

/** a * b (elementwise). */
export function mul(a: Tensor, b: Tensor | number): Tensor {
  return binary('mul', ops.mul, ops.muls, a, b);
}

/** a / b (elementwise). */
export function div(a: Tensor, b: Tensor | number): Tensor {
  return binary('div', ops.div, ops.divs, a, b);
}

/** s * a for a number s. */
export function scale(a: Tensor, s: number): Tensor {
  if (typeof s !== 'number') typeError('scale', 's', 'a number', s);
  return mul(a, s);
}

/** alpha * x + y (the BLAS axpy, as a new tensor). */
export function axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
  if (typeof alpha !== 'number') typeError('axpy', 'alpha', 'a number', alpha);
  checkTensor('axpy', 'x', x, { finite: false });
  checkTensor('axpy', 'y', y, { finite: false, shape: x.shape });
  const xs = unsafeData(x);
  const ys = unsafeData(y);
  const out = new Float64Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = alpha * xs[i] + ys[i];
  return wrap(out, x.shape);
}

/** -a. */
export function neg(a: Tensor): Tensor {
  checkTensor('neg', 'a', a, { finite: false });
  const out = new Float64Array(a.size);
  ops.neg(flatView(out), flatView(unsafeData(a)));
  return wrap(out, a.shape);
}

/** f applied to every entry (with its flat index). */
export function map(a: Tensor, f: (value: number, flatIndex: number) => number): Tensor {
  checkTensor('map', 'a', a, { finite: false });
  if (typeof f !== 'function') typeError('map', 'f', 'a function', f);
  const src = unsafeData(a);
  const out = new Float64Array(a.size);
  for (let i = 0; i < out.length; i++) out[i] = f(src[i], i);
  return wrap(out, a.shape);
}

/** |a| elementwise. */
export function abs(a: Tensor): Tensor {
  return map(a, Math.abs);
}
