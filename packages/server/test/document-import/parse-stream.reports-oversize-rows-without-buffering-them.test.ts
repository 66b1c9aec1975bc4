import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitJsonElements } from '../../src/services/document-import/index.ts';
import type { ImportFormat } from '../../src/services/document-import/index.ts';
import { cutAt, everyByte, split } from './helpers.ts';

const limit = 64;
const small = '{"a":1}';
const exact = `{"s":"${'x'.repeat(limit - 8)}"}`; // exactly `limit` bytes
const big = `{"s":"${'y'.repeat(limit - 7)}"}`; // one byte over

function summary(rows: Awaited<ReturnType<typeof split>>): string[] {
  return rows.map((r) => ('error' in r ? `${r.index}:${r.type}` : `${r.index}:ok`));
}

test('the fixture rows are the sizes the test assumes', () => {
  assert.equal(Buffer.byteLength(exact), limit);
  assert.equal(Buffer.byteLength(big), limit + 1);
});

for (const format of ['json-array', 'ndjson'] as const) {
  const body = Buffer.from(format === 'ndjson' ? [small, big, exact, big, small].join('\n') : `[${[small, big, exact, big, small].join(',')}]`);

  test(`${format}: a row over maxRowBytes is a too_long error and reading goes on`, async () => {
    const rows = await split([body], format, limit);
    assert.deepEqual(summary(rows), ['0:ok', '1:too_long', '2:ok', '3:too_long', '4:ok']);
    const bad = rows[1];
    assert.ok('error' in bad);
    assert.match(bad.error, new RegExp(`^row 1${format === 'ndjson' ? ' \\(line 2\\)' : ''}: ${limit + 1} bytes is more than the ${limit}-byte limit`));
  });

  test(`${format}: the limit holds whether the row arrives whole, cut, or byte by byte`, async () => {
    for (let at = 0; at <= body.length; at++) {
      assert.deepEqual(summary(await split(cutAt(body, at), format, limit)), ['0:ok', '1:too_long', '2:ok', '3:too_long', '4:ok'], `cut at ${at}`);
    }
    assert.deepEqual(summary(await split(everyByte(body), format, limit)), ['0:ok', '1:too_long', '2:ok', '3:too_long', '4:ok']);
  });
}

/**
 * A 1 MiB chunk yielded over and over, so the source itself holds almost
 * nothing; samples external memory as it goes. Growth is measured against the
 * lowest sample so garbage freed from earlier tests cannot hide it.
 */
async function* hugeRow(format: ImportFormat, mib: number, samples: number[]): AsyncGenerator<Buffer> {
  const filler = Buffer.alloc(1 << 20, '1,');
  yield Buffer.from(format === 'ndjson' ? '{"v":[' : '[{"v":[');
  for (let i = 0; i < mib; i++) {
    samples.push(process.memoryUsage().arrayBuffers);
    yield filler;
  }
  samples.push(process.memoryUsage().arrayBuffers);
  yield Buffer.from(format === 'ndjson' ? '1]}\n{"after":true}\n' : '1]}, {"after":true}]');
}

for (const format of ['json-array', 'ndjson'] as const) {
  test(`${format}: a 128 MiB row is skipped without being held in memory`, async () => {
    const samples: number[] = [];
    const rows = [];
    for await (const r of splitJsonElements(hugeRow(format, 128, samples), format, { maxRowBytes: 1 << 20 })) rows.push(r);
    assert.equal(rows.length, 2);
    const bad = rows[0];
    assert.ok('error' in bad);
    assert.equal(bad.type, 'too_long');
    assert.match(bad.error, /134217737 bytes/);
    assert.deepEqual(rows[1], { index: 1, value: { after: true } });
    let low = Infinity;
    let growth = 0;
    for (const m of samples) {
      low = Math.min(low, m);
      growth = Math.max(growth, m - low);
    }
    assert.ok(growth < 16 << 20, `external memory grew by ${growth} bytes`);
  });
}

test('a missing or nonsensical maxRowBytes is refused rather than meaning "no limit"', async () => {
  for (const maxRowBytes of [0, -1, NaN, Infinity, 1.5]) {
    await assert.rejects(split([Buffer.from('[]')], 'json-array', maxRowBytes), RangeError, String(maxRowBytes));
  }
});
