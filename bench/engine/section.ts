/**
 * The engine section of `npm run bench`: option parsing, the run, the table.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEngineBenchmark } from './harness.ts';
import { FAIRNESS_NOTES, textTable, writeReports } from './report.ts';
import { TASKS, selectTasks, sizeTask } from './tasks.ts';
import { TOOL_NAMES } from './protocol.ts';
import type { Tool } from './protocol.ts';

export type CliFlags = Map<string, string>;

export const ENGINE_FLAGS = ['task', 'tool', 'scale', 'threads', 'timeout', 'list'];

export const ENGINE_USAGE = `Engine section flags (each also settable by environment):
  --task=ID[,ID|PREFIX*]  tasks to run (BENCH_TASKS); default all, --list shows them; a bare method
                          name (pca, umap) runs every task of that method
  --tool=T[,T]            ${Object.keys(TOOL_NAMES).join(', ')} (BENCH_TOOLS); default all
  --scale=F               multiply every default size by F, e.g. 0.05 for a quick run (BENCH_SCALE)
  --threads=N             threads the references may use (BENCH_THREADS); default 2
  --timeout=S             seconds before a child is killed (BENCH_TIMEOUT_S); default 900
  --list                  print the tasks with their sizes and exit
Sizes per task: BENCH_N_<TASK> (e.g. BENCH_N_KMEANS_768=20000), BENCH_SUBSET_N_<TASK> for a reference
that runs on fewer rows (R in hdbscan-10, sklearn in optics-10). Other settings: BENCH_PYTHON (default /usr/bin/python3),
BENCH_RSCRIPT (default Rscript), BENCH_DATA_DIR (generated data cache, default <tmp>/centroid-bench-data),
BENCH_RESULTS_DIR (default bench/results).`;

function option(flags: CliFlags, flag: string, envName: string): string | undefined {
  return flags.get(flag) ?? (process.env[envName] || undefined);
}

function positiveNumber(raw: string | undefined, name: string, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(value > 0) || (integer && !Number.isInteger(value))) throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${raw}`);
  return value;
}

function list(raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export async function runEngineSection(flags: CliFlags, command: string): Promise<void> {
  const tasks = selectTasks(list(option(flags, 'task', 'BENCH_TASKS')));
  const toolNames = list(option(flags, 'tool', 'BENCH_TOOLS'));
  for (const tool of toolNames ?? []) {
    if (!(tool in TOOL_NAMES)) throw new Error(`unknown tool '${tool}'; tools: ${Object.keys(TOOL_NAMES).join(', ')}`);
  }
  const scale = positiveNumber(option(flags, 'scale', 'BENCH_SCALE'), 'scale', 1, false);
  const threads = positiveNumber(option(flags, 'threads', 'BENCH_THREADS'), 'threads', 2, true);
  const timeoutSeconds = positiveNumber(option(flags, 'timeout', 'BENCH_TIMEOUT_S'), 'timeout', 900, false);

  if (flags.has('list')) {
    for (const task of TASKS) {
      const sized = sizeTask(task, scale, process.env);
      const runs = sized.runs.map((r) => `${TOOL_NAMES[r.tool]} ${r.variant}${r.n !== sized.n ? ` (n=${r.n})` : ''}`);
      console.log(`${task.id.padEnd(15)} N=${sized.n} d=${task.dataset.d}  ${task.summary}\n${' '.repeat(16)}${runs.join(' · ')}`);
    }
    return;
  }

  const log = (line: string) => console.error(line);
  log(`engine benchmark: ${tasks.map((t) => t.id).join(', ')}; reference threads ${threads}, scale ${scale}`);
  const results = await runEngineBenchmark({
    tasks,
    tools: toolNames as Tool[] | null,
    scale,
    threads,
    timeoutSeconds,
    dataDir: process.env.BENCH_DATA_DIR || join(tmpdir(), 'centroid-bench-data'),
    python: process.env.BENCH_PYTHON || '/usr/bin/python3',
    rscript: process.env.BENCH_RSCRIPT || 'Rscript',
    env: process.env,
    log,
  });
  const resultsDir = process.env.BENCH_RESULTS_DIR || fileURLToPath(new URL('../results', import.meta.url));
  const written = writeReports(resultsDir, results, { command, threads, scale, timeoutSeconds });
  console.log(`\nCentroid engine benchmark (node ${process.version}, references on ${threads} threads)\n`);
  console.log(textTable(results));
  console.log('');
  for (const note of FAIRNESS_NOTES) console.log(`- ${note}`);
  console.log(`\nwritten: ${written.markdown}, ${written.json}`);
}
