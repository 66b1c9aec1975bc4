/**
 * The layering of ARCHITECTURE.md, checked on the source: http → services → {queue, compute, llm,
 * labeling, export} → storage → domain, and the engine knows nothing of the server or of Node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const serverSrc = join(root, 'packages/server/src');
const engineSrc = join(root, 'packages/engine/src');

/** Which top-level folders of packages/server/src each folder may import from (besides itself). */
const ALLOWED: Record<string, string[]> = {
  config: [],
  domain: [],
  storage: ['domain'],
  export: ['domain'],
  llm: ['config', 'domain'],
  labeling: ['llm', 'storage', 'domain', 'config'],
  compute: ['labeling', 'storage', 'domain'],
  queue: ['compute', 'storage', 'domain'],
  services: ['queue', 'compute', 'llm', 'labeling', 'export', 'storage', 'domain', 'config'],
  http: ['services', 'domain', 'config'],
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
}

test('each server folder imports only the layers below it', () => {
  const violations: string[] = [];
  for (const file of sources(serverSrc)) {
    const from = relative(serverSrc, file).split(sep);
    if (from.length === 1 || from[0] === 'cli') continue; // main.ts and the CLI compose everything
    const layer = from[0]!;
    assert.ok(layer in ALLOWED, `folder ${layer} has no rule in this test; add one`);
    for (const spec of specifiers(file)) {
      if (!spec.startsWith('.')) continue;
      const target = relative(serverSrc, resolve(dirname(file), spec)).split(sep);
      if (target[0] === '..' || target.length === 1) {
        violations.push(`${relative(root, file)} imports ${spec} (outside its layer)`);
        continue;
      }
      const to = target[0]!;
      if (to !== layer && !ALLOWED[layer]!.includes(to)) violations.push(`${relative(root, file)} (${layer}) imports ${spec} (${to})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('nothing outside http imports http, and the engine imports neither the server nor Node', () => {
  const violations: string[] = [];
  for (const file of sources(serverSrc)) {
    const layer = relative(serverSrc, file).split(sep)[0]!;
    if (layer === 'http' || layer === 'cli' || layer.endsWith('.ts')) continue;
    for (const spec of specifiers(file)) if (spec.includes('/http/')) violations.push(`${relative(root, file)} imports ${spec}`);
  }
  for (const file of sources(engineSrc)) {
    for (const spec of specifiers(file)) {
      if (spec.startsWith('node:') || spec.includes('server/') || spec.startsWith('@centroid/server')) violations.push(`${relative(root, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});
