/**
 * Child process that runs one Centroid engine call for the benchmark:
 * `node --import tsx bench/engine/centroid-child.ts <job.json>`. It loads the
 * engine module first and the data second (neither is timed), then times the
 * adapter's single engine call, with no warm-up call before it: V8's tier-up
 * happens inside the measured run, as Python's first-call costs do on the
 * reference side.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ADAPTERS } from './adapters.ts';
import type { AdapterOutput } from './adapters.ts';
import { readFloat32, readInt32, writeArray } from './data.ts';
import type { ChildJob, ChildResult } from './protocol.ts';
import { installEngineThreads } from '../../packages/server/src/compute/row-threads.ts';

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildJob;
const finish = (result: ChildResult): void => writeFileSync(job.out.result, JSON.stringify(result));
// The same thread budget as the references get, through the pool an execution's compute thread uses.
installEngineThreads(job.threads);

function isMissingModule(error: unknown, path: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${path}'`);
}

async function main(): Promise<void> {
  const adapter = ADAPTERS[job.method];
  if (adapter === undefined) {
    finish({ status: 'failed', note: `no adapter named ${job.method} in bench/engine/adapters.ts` });
    return;
  }
  const moduleUrl = new URL(`../../${adapter.module}`, import.meta.url);
  let engineModule: Record<string, unknown>;
  try {
    engineModule = (await import(moduleUrl.href)) as Record<string, unknown>;
  } catch (error) {
    if (isMissingModule(error, fileURLToPath(moduleUrl))) {
      finish({ status: 'not-implemented', note: `not implemented yet (${adapter.module} does not exist)` });
      return;
    }
    throw error;
  }
  const fn = engineModule[adapter.exportName];
  if (typeof fn !== 'function') {
    finish({ status: 'not-implemented', note: `not implemented yet (${adapter.module} has no export ${adapter.exportName})` });
    return;
  }

  const { n, d } = job.data;
  // Shared memory, as an execution's rows reach the engine (combineFeatures allocates them so).
  const data = readFloat32(job.data.path, n * d, true);
  const truth = readInt32(job.data.labelsPath, n);
  const loadedRssKiB = process.resourceUsage().maxRSS;
  let seconds: number | undefined;
  let peakRssKiB: number | undefined;
  const output: AdapterOutput = adapter.run(fn, {
    data,
    n,
    d,
    truth,
    params: job.params,
    measure(call) {
      const t0 = performance.now();
      const value = call();
      seconds = (performance.now() - t0) / 1000;
      peakRssKiB = process.resourceUsage().maxRSS;
      return value;
    },
  });
  if (seconds === undefined) throw new Error(`adapter ${job.method} never called measure()`);

  if (output.labels !== undefined) writeArray(job.out.labels, output.labels);
  if (output.embedding !== undefined) writeArray(job.out.embedding, output.embedding);
  if (output.reachability !== undefined) writeArray(job.out.reachability, output.reachability);
  finish({
    status: 'ok',
    seconds,
    peakRssKiB,
    loadedRssKiB,
    threads: `${job.threads} (calling thread + helpers where the method splits work: k-means, exact silhouette, HDBSCAN k-NN, agglomerative matrix)`,
    version: `node ${process.version}`,
    quality: output.quality,
    info: output.info,
    wrote: {
      labels: output.labels !== undefined,
      embedding: output.embedding !== undefined,
      reachability: output.reachability !== undefined,
    },
  });
}

try {
  await main();
} catch (error) {
  finish({ status: 'failed', note: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  console.error(error);
  process.exitCode = 1;
}
