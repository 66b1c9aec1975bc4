import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KERNELS_WASM_BASE64 } from '../src/wasm/kernels.generated.ts';
import { decodeBase64 } from '../src/wasm/base64.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('the committed WebAssembly module is built from the AssemblyScript source', () => {
  it('recompiling packages/engine/assembly/kernels.ts gives the same bytes', () => {
    const fresh = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--print'], { cwd: root, encoding: 'utf8' }).trim();
    assert.ok(fresh.length > 1000, 'the build printed a module');
    assert.equal(KERNELS_WASM_BASE64, fresh, 'run `npm run build:wasm` and commit src/wasm/kernels.generated.ts');
  });

  it('the base64 decoder returns the bytes Node decodes', () => {
    const ours = decodeBase64(KERNELS_WASM_BASE64);
    assert.deepEqual(ours, new Uint8Array(Buffer.from(KERNELS_WASM_BASE64, 'base64')));
    for (const text of ['', 'TQ==', 'TWE=', 'TWFu', '/+8=']) {
      assert.deepEqual(decodeBase64(text), new Uint8Array(Buffer.from(text, 'base64')), text);
    }
  });
});
