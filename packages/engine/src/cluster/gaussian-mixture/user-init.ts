/**
 * Checks for user-supplied weights_init / means_init / precisions_init, with
 * scikit-learn's rules (`_check_weights`, `_check_means`, `_check_precisions`)
 * and messages that name the parameter and the expected shape.
 */
import { choleskyLower } from '../../decomposition/cholesky.ts';
import type { CovarianceType } from './parameters.ts';

/**
 * Nested arrays in scikit-learn's shape (e.g. means_init as k rows of d
 * numbers), or the same values flattened row-major into a Float64Array.
 */
export type InitArray =
  | Float64Array
  | readonly number[]
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[];

function describeShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Flatten `value` after checking it has exactly `shape` (a flat Float64Array only needs the total length). */
export function flattenInit(value: InitArray, shape: readonly number[], name: string): Float64Array {
  const total = shape.reduce((a, b) => a * b, 1);
  if (value instanceof Float64Array) {
    if (value.length !== total) {
      throw new RangeError(`${name} must have shape ${describeShape(shape)} (${total} values), got ${value.length} values`);
    }
    checkFinite(value, name);
    return Float64Array.from(value);
  }
  const actual = nestedShape(value, name);
  if (actual.length !== shape.length || actual.some((v, i) => v !== shape[i])) {
    throw new RangeError(`${name} must have shape ${describeShape(shape)}, got ${describeShape(actual)}`);
  }
  const out = new Float64Array(total);
  let at = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const item of v) walk(item);
    else out[at++] = v as number;
  };
  walk(value);
  checkFinite(out, name);
  return out;
}

function nestedShape(value: unknown, name: string): number[] {
  if (!Array.isArray(value)) {
    if (typeof value !== 'number') throw new RangeError(`${name} must contain only numbers`);
    return [];
  }
  if (value.length === 0) return [0];
  const inner = nestedShape(value[0], name);
  for (let i = 1; i < value.length; i++) {
    const s = nestedShape(value[i], name);
    if (s.length !== inner.length || s.some((v, j) => v !== inner[j])) {
      throw new RangeError(`${name} must be a rectangular array (rows of equal length)`);
    }
  }
  return [value.length, ...inner];
}

function checkFinite(values: Float64Array, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${name} must contain only finite numbers, got ${values[i]}`);
  }
}

export function checkWeightsInit(value: InitArray, k: number): Float64Array {
  const w = flattenInit(value, [k], 'weights_init');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of w) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  if (min < 0 || max > 1) {
    throw new RangeError(`weights_init must lie in [0, 1], got values from ${min} to ${max}`);
  }
  // numpy.allclose(|1 − Σw|, 0): absolute tolerance 1e-8.
  if (!(Math.abs(1 - sum) <= 1e-8)) throw new RangeError(`weights_init must sum to 1, got ${sum}`);
  return w;
}

export function checkMeansInit(value: InitArray, k: number, d: number): Float64Array {
  return flattenInit(value, [k, d], 'means_init');
}

/**
 * Validates precisions_init and returns its Cholesky factors in scikit-learn's
 * layout: lower-triangular L with P = L·Lᵀ for full/tied, √P for diag/spherical.
 */
export function precisionCholeskyFromInit(value: InitArray, type: CovarianceType, k: number, d: number): Float64Array {
  const shapes: Record<CovarianceType, number[]> = {
    full: [k, d, d],
    tied: [d, d],
    diag: [k, d],
    spherical: [k],
  };
  const p = flattenInit(value, shapes[type], 'precisions_init');
  if (type === 'diag' || type === 'spherical') {
    for (const v of p) {
      if (!(v > 0)) throw new RangeError(`precisions_init must be positive for covariance_type='${type}', got ${v}`);
    }
    return p.map(Math.sqrt);
  }
  const dd = d * d;
  const count = type === 'full' ? k : 1;
  const out = new Float64Array(count * dd);
  for (let c = 0; c < count; c++) {
    const m = p.subarray(c * dd, (c + 1) * dd);
    const which = type === 'full' ? ` (component ${c})` : '';
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        // numpy.allclose(P, Pᵀ): |a − b| ≤ 1e-8 + 1e-5·|b|.
        const a = m[i * d + j];
        const b = m[j * d + i];
        if (!(Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b))) {
          throw new RangeError(`precisions_init must be symmetric positive-definite matrices${which}: entry (${i}, ${j}) is ${a} but (${j}, ${i}) is ${b}`);
        }
      }
    }
    if (choleskyLower(m, d, out.subarray(c * dd, (c + 1) * dd)) === null) {
      throw new RangeError(`precisions_init must be symmetric positive-definite matrices${which}: this one is not positive definite`);
    }
  }
  return out;
}
