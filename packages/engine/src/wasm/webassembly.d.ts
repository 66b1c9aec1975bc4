// The engine compiles with lib ES2023 and no DOM types, which is where
// TypeScript declares WebAssembly; these are the few pieces the kernels use.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    /** Adds `pages` 64 KiB pages; returns the previous size in pages. */
    grow(pages: number): number;
  }
}
