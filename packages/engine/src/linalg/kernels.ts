/**
 * Which kernel backend the algorithms use: WebAssembly SIMD where the runtime
 * supports it, the plain TypeScript kernels otherwise. Tests switch backends
 * to compare them.
 */
import { createWasmKernels } from '../wasm/wasm-kernels.ts';
import type { Kernels } from './kernel-types.ts';
import { tsKernels } from './ts-kernels.ts';

let active: Kernels | null = null;

function detect(): Kernels {
  try {
    return createWasmKernels();
  } catch {
    return tsKernels;
  }
}

export function kernels(): Kernels {
  active ??= detect();
  return active;
}

/** Selects a backend for every later computation; 'wasm' throws where WebAssembly SIMD is unavailable. */
export function useKernels(name: 'wasm' | 'typescript'): void {
  active = name === 'wasm' ? createWasmKernels() : tsKernels;
}
