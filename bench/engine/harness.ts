/**
 * Runs the engine benchmark: for each selected task, generate (or reuse) the
 * data file, then run every Centroid and reference computation in its own
 * child process, strictly one after another so that no two share the cores,
 * and judge the outputs here with one set of formulas (ARI, explained
 * variance) or with scikit-learn's trustworthiness.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adjustedRandIndex } from '../../packages/engine/src/metrics/adjusted-rand-index.ts';
import { describeSpec, ensureDataset, readFloat32, readFloat64, readInt32 } from './data.ts';
import type { DatasetFile } from './data.ts';
import type { ChildJob, ChildResult, Params, Tool } from './protocol.ts';
import { TOOL_NAMES } from './protocol.ts';
import { sizeTask } from './tasks.ts';
import type { SizedRun, SizedTask, TaskDef } from './tasks.ts';

export interface EngineBenchSettings {
  tasks: TaskDef[];
  /** null: every tool. */
  tools: Tool[] | null;
  scale: number;
  /** Threads the references may use (BLAS, OpenMP, numba, n_jobs). */
  threads: number;
  timeoutSeconds: number;
  dataDir: string;
  python: string;
  rscript: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface RowResult {
  task: string;
  tool: Tool;
  toolName: string;
  variant: string;
  method: string;
  pair: string;
  n: number;
  d: number;
  status: ChildResult['status'];
  note?: string;
  seconds?: number;
  peakRssKiB?: number;
  loadedRssKiB?: number;
  threads?: string;
  version?: string;
  /** Tool-reported objectives plus what the harness measured (trustworthiness, explained variance). */
  quality: Record<string, number>;
  /** ARI of this row's labels against the ground truth (noise, -1, counts as one more label). */
  ariTruth?: number;
  /** ARI against each reference row's labels on the same rows, keyed by that row's name. */
  ariVs: Record<string, number>;
  /** Share of points whose reachability equals the named reference row's (relative 1e-6, ∞ = ∞). */
  reachabilityAgreement: Record<string, number>;
  clusters?: { nClusters: number; noiseFraction: number };
  /** 1-minute load average when the child started: other work on the machine skews every timing. */
  loadAverage: number;
  info: Record<string, string | number | boolean | null>;
}

export interface TaskResult {
  id: string;
  summary: string;
  dataset: string;
  n: number;
  d: number;
  rows: RowResult[];
}

export function rowName(row: Pick<RowResult, 'toolName' | 'variant'>): string {
  return `${row.toolName} ${row.variant}`;
}

const CHILD_ENTRY = fileURLToPath(new URL('./centroid-child.ts', import.meta.url));
const PYTHON_ENTRY = fileURLToPath(new URL('../references/python_reference.py', import.meta.url));
const R_ENTRY = fileURLToPath(new URL('../references/r_reference.R', import.meta.url));

interface ChildOutcome {
  result: ChildResult | null;
  stderrTail: string;
  exit: string;
  spawnError?: NodeJS.ErrnoException;
}

function runChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  resultPath: string,
  timeoutSeconds: number,
): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    const done = (outcome: Omit<ChildOutcome, 'result'>) => {
      clearTimeout(timer);
      const result = existsSync(resultPath) ? (JSON.parse(readFileSync(resultPath, 'utf8')) as ChildResult) : null;
      resolve({ result, ...outcome });
    };
    child.on('error', (error: NodeJS.ErrnoException) => done({ stderrTail: stderr, exit: 'spawn failed', spawnError: error }));
    child.on('close', (code, signal) => {
      const exit = timedOut ? `killed after the ${timeoutSeconds} s timeout` : signal !== null ? `killed by ${signal}` : `exit code ${code}`;
      done({ stderrTail: stderr, exit });
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}

function writeRJob(path: string, job: ChildJob): void {
  const entries: Array<[string, string | number]> = [
    ['method', job.method],
    ['data', job.data.path],
    ['n', job.data.n],
    ['d', job.data.d],
    ['result', job.out.result],
    ['labels', job.out.labels],
    ['reachability', job.out.reachability],
  ];
  for (const [key, value] of Object.entries(job.params)) entries.push([`param.${key}`, String(value)]);
  writeFileSync(path, entries.map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
}

function childCommand(settings: EngineBenchSettings, tool: Tool, jobPath: string): [string, string[]] {
  if (tool === 'centroid') return [process.execPath, [...process.execArgv, CHILD_ENTRY, jobPath]];
  if (tool === 'r-dbscan') return [settings.rscript, ['--vanilla', R_ENTRY, jobPath]];
  return [settings.python, [PYTHON_ENTRY, jobPath]];
}

function missingCommandNote(tool: Tool, command: string): string {
  if (tool === 'r-dbscan') return `${command} not found: install r-base-core and r-cran-dbscan (or set BENCH_RSCRIPT)`;
  return `${command} not found (set BENCH_PYTHON to a Python with scikit-learn, faiss, umap-learn)`;
}

interface RunFiles {
  dir: string;
  job: ChildJob;
}

function prepareRun(
  workDir: string,
  index: number,
  task: SizedTask,
  run: { method: string; params: Params; n: number },
  dataset: DatasetFile,
  threads: number,
): RunFiles {
  const dir = join(workDir, `${task.id}-${index}`);
  mkdirSync(dir, { recursive: true });
  const job: ChildJob = {
    task: task.id,
    method: run.method,
    params: run.params,
    data: { path: dataset.path, labelsPath: dataset.labelsPath, n: run.n, d: dataset.spec.d },
    out: {
      result: join(dir, 'result.json'),
      labels: join(dir, 'labels.i32'),
      embedding: join(dir, 'embedding.f32'),
      reachability: join(dir, 'reachability.f64'),
    },
    threads,
  };
  return { dir, job };
}

async function execute(settings: EngineBenchSettings, tool: Tool, files: RunFiles): Promise<ChildResult> {
  const jobPath = join(files.dir, tool === 'r-dbscan' ? 'job.txt' : 'job.json');
  if (tool === 'r-dbscan') writeRJob(jobPath, files.job);
  else writeFileSync(jobPath, JSON.stringify(files.job));
  const [command, args] = childCommand(settings, tool, jobPath);
  const threads = String(settings.threads);
  const env = {
    ...settings.env,
    OPENBLAS_NUM_THREADS: threads,
    OMP_NUM_THREADS: threads,
    MKL_NUM_THREADS: threads,
    NUMBA_NUM_THREADS: threads,
  };
  const outcome = await runChild(command, args, env, files.job.out.result, settings.timeoutSeconds);
  if (outcome.spawnError?.code === 'ENOENT') return { status: 'missing', note: missingCommandNote(tool, command) };
  if (outcome.result !== null) return outcome.result;
  const detail = outcome.stderrTail === '' ? '' : `: ${lastLines(outcome.stderrTail, 3)}`;
  return { status: 'failed', note: `${outcome.exit}${detail}` };
}

function clusterCounts(labels: Int32Array): { nClusters: number; noiseFraction: number } {
  const seen = new Set<number>();
  let noise = 0;
  for (const label of labels) {
    if (label < 0) noise++;
    else seen.add(label);
  }
  return { nClusters: seen.size, noiseFraction: noise / labels.length };
}

/** Variance captured by the embedding's columns as a share of the data's total variance (exact for an orthonormal projection). */
function explainedVarianceShare(data: Float32Array, embedding: Float32Array, n: number, d: number): number {
  const columnVariance = (values: Float32Array, width: number): number => {
    let total = 0;
    for (let j = 0; j < width; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += values[i * width + j];
      mean /= n;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const diff = values[i * width + j] - mean;
        sum += diff * diff;
      }
      total += sum / n;
    }
    return total;
  };
  return columnVariance(embedding, embedding.length / n) / columnVariance(data, d);
}

function reachabilityAgreement(a: Float64Array, b: Float64Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y || Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(y))) same++;
  }
  return same / a.length;
}

interface Outputs {
  labels?: Int32Array;
  reachability?: Float64Array;
}

export async function runEngineBenchmark(settings: EngineBenchSettings): Promise<TaskResult[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'centroid-bench-run-'));
  const results: TaskResult[] = [];
  try {
    for (const definition of settings.tasks) {
      const task = sizeTask(definition, settings.scale, settings.env);
      const runs = task.runs.filter((run) => settings.tools === null || settings.tools.includes(run.tool));
      if (runs.length === 0) continue;
      const dataset = ensureDataset(settings.dataDir, task.dataset, Math.max(...runs.map((r) => r.n)), settings.log);
      const d = dataset.spec.d;
      const rows: RowResult[] = [];
      const outputs = new Map<RowResult, Outputs>();
      for (const [index, run] of runs.entries()) {
        const row = await runOne(settings, workDir, index, task, run, dataset, outputs);
        rows.push(row);
        const outcome = row.status === 'ok' ? `${row.seconds!.toFixed(2)} s` : `${row.status}${row.note ? ` (${row.note})` : ''}`;
        settings.log(`[${task.id}] ${rowName(row)} n=${row.n}: ${outcome}`);
      }
      compareWithReferences(rows, outputs);
      results.push({ id: task.id, summary: task.summary, dataset: describeSpec(dataset.spec), n: task.n, d, rows });
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return results;
}

async function runOne(
  settings: EngineBenchSettings,
  workDir: string,
  index: number,
  task: SizedTask,
  run: SizedRun,
  dataset: DatasetFile,
  outputs: Map<RowResult, Outputs>,
): Promise<RowResult> {
  const files = prepareRun(workDir, index, task, run, dataset, settings.threads);
  const loadAverage = loadavg()[0];
  const child = await execute(settings, run.tool, files);
  const notes = [child.note, run.subsetN !== undefined && run.n < task.n ? `on the first ${run.n} rows: ${run.subsetReason}` : undefined];
  const row: RowResult = {
    task: task.id,
    tool: run.tool,
    toolName: TOOL_NAMES[run.tool],
    variant: run.variant,
    method: run.method,
    pair: run.pair,
    n: run.n,
    d: dataset.spec.d,
    status: child.status,
    note: notes.filter((note) => note !== undefined).join('; ') || undefined,
    seconds: child.seconds,
    peakRssKiB: child.peakRssKiB,
    loadedRssKiB: child.loadedRssKiB,
    threads: child.threads,
    version: child.version,
    quality: { ...child.quality },
    ariVs: {},
    reachabilityAgreement: {},
    loadAverage,
    info: { ...child.info },
  };
  if (child.status !== 'ok') return row;
  const kept: Outputs = {};
  if (child.wrote?.labels) {
    const labels = readInt32(files.job.out.labels, run.n);
    kept.labels = labels;
    row.ariTruth = adjustedRandIndex(labels, readInt32(dataset.labelsPath, run.n));
    row.clusters = clusterCounts(labels);
  }
  if (child.wrote?.reachability) kept.reachability = readFloat64(files.job.out.reachability, run.n);
  if (child.wrote?.embedding) await judgeEmbedding(settings, workDir, index, task, run, dataset, files, row);
  outputs.set(row, kept);
  return row;
}

async function judgeEmbedding(
  settings: EngineBenchSettings,
  workDir: string,
  index: number,
  task: SizedTask,
  run: SizedRun,
  dataset: DatasetFile,
  files: RunFiles,
  row: RowResult,
): Promise<void> {
  const d = dataset.spec.d;
  const components = Number(run.params.nComponents ?? run.params.n_components);
  if (task.embeddingQuality === 'explained-variance') {
    const data = readFloat32(dataset.path, run.n * d);
    const embedding = readFloat32(files.job.out.embedding, run.n * components);
    row.quality.explainedVariance = explainedVarianceShare(data, embedding, run.n, d);
  } else if (task.embeddingQuality === 'trustworthiness') {
    const params = { embedding: files.job.out.embedding, n_components: components, n_neighbors: 15 };
    const judge = prepareRun(workDir, 1000 + index, task, { method: 'sklearn.trustworthiness', params, n: run.n }, dataset, settings.threads);
    const result = await execute(settings, 'sklearn', judge);
    if (result.status === 'ok' && result.quality?.trustworthiness !== undefined) {
      row.quality.trustworthiness = result.quality.trustworthiness;
    } else {
      row.note = [row.note, `trustworthiness not computed: ${result.status}${result.note ? ` (${result.note})` : ''}`].filter(Boolean).join('; ');
    }
  }
}

function compareWithReferences(rows: RowResult[], outputs: Map<RowResult, Outputs>): void {
  const references = rows.filter((r) => r.tool !== 'centroid' && r.status === 'ok');
  for (const row of rows) {
    const mine = outputs.get(row);
    if (mine === undefined) continue;
    for (const reference of references) {
      if (reference === row || reference.n !== row.n || reference.pair !== row.pair) continue;
      const theirs = outputs.get(reference)!;
      if (mine.labels && theirs.labels) row.ariVs[rowName(reference)] = adjustedRandIndex(mine.labels, theirs.labels);
      if (mine.reachability && theirs.reachability) {
        row.reachabilityAgreement[rowName(reference)] = reachabilityAgreement(mine.reachability, theirs.reachability);
      }
    }
  }
}
