/**
 * Turns the benchmark's rows into the printed table and the
 * bench/results/latest.{json,md} files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { rowName } from './harness.ts';
import type { RowResult, TaskResult } from './harness.ts';

export interface ReportContext {
  command: string;
  threads: number;
  scale: number;
  timeoutSeconds: number;
}

/** How a tool-reported objective is set beside the reference's. */
const QUALITY_FORMATS: Record<string, { label: string; value: (v: number) => string; compare: 'ratio' | 'difference' }> = {
  inertia: { label: 'inertia', value: (v) => v.toPrecision(7), compare: 'ratio' },
  score: { label: 'score', value: (v) => v.toPrecision(8), compare: 'difference' },
  meanLogLikelihood: { label: 'log-lik/sample', value: (v) => v.toFixed(4), compare: 'difference' },
  trustworthiness: { label: 'trustworthiness', value: (v) => v.toFixed(4), compare: 'difference' },
  explainedVariance: { label: 'explained variance', value: (v) => v.toFixed(5), compare: 'difference' },
};

export const FAIRNESS_NOTES = [
  'Each computation runs in its own child process, one after another (never two at once).',
  'Time is the wall time of the computation only: imports and data loading happen before the clock starts.',
  'No separate warm-up call on either side: V8 tier-up (Centroid) and first-call costs such as numba compilation (umap-learn) are inside the measured run.',
  'Peak RSS is the whole child process (Node: process.resourceUsage().maxRSS; Python: ru_maxrss; R: VmHWM); the figure in parentheses is the growth during the computation over the peak once the data was loaded.',
  'Ratio = Centroid time / reference time on the same rows (below 1 means Centroid is faster). Quality comparisons are against the same reference.',
  'ARI vs truth counts uniform noise (label -1) as one more label on both sides.',
  `"load" in the notes is the machine's 1-minute load average when the run started: above the core count, other work competed for the CPU, which slows multi-threaded references (OpenMP/BLAS threads wait on each other) more than single-threaded code, so such ratios flatter Centroid.`,
];

function formatBytes(kib: number): string {
  const mib = kib / 1024;
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(0)} MiB`;
}

function formatMemory(row: RowResult): string {
  if (row.peakRssKiB === undefined) return '';
  const growth = row.loadedRssKiB === undefined ? '' : ` (+${formatBytes(Math.max(0, row.peakRssKiB - row.loadedRssKiB))})`;
  return `${formatBytes(row.peakRssKiB)}${growth}`;
}

function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  return seconds >= 10 ? `${seconds.toFixed(1)} s` : `${seconds.toFixed(3)} s`;
}

/** Reference rows a row is compared with: same task, same rows, same pair group. */
function referencesOf(row: RowResult, rows: RowResult[]): RowResult[] {
  return rows.filter((r) => r !== row && r.tool !== 'centroid' && r.status === 'ok' && r.n === row.n && r.pair === row.pair);
}

/** The tool name alone when it identifies the reference, else tool and variant. */
function shortName(reference: RowResult, rows: RowResult[]): string {
  const sameTool = rows.filter((r) => r.tool === reference.tool && r.n === reference.n && r.pair === reference.pair);
  return sameTool.length > 1 ? rowName(reference) : reference.toolName;
}

function formatRatio(row: RowResult, rows: RowResult[]): string {
  if (row.tool !== 'centroid' || row.seconds === undefined) return '';
  return referencesOf(row, rows)
    .map((ref) => `${(row.seconds! / ref.seconds!).toFixed(2)}× ${shortName(ref, rows)}`)
    .join(', ');
}

function formatQuality(row: RowResult, rows: RowResult[]): string {
  const parts: string[] = [];
  const references = row.tool === 'centroid' ? referencesOf(row, rows) : [];
  for (const [key, value] of Object.entries(row.quality)) {
    const format = QUALITY_FORMATS[key];
    if (format === undefined) {
      parts.push(`${key} ${value}`);
      continue;
    }
    const comparisons = references
      .filter((ref) => ref.quality[key] !== undefined)
      .map((ref) => {
        const theirs = ref.quality[key];
        const relation =
          format.compare === 'ratio'
            ? `${(value / theirs).toFixed(4)}×`
            : `Δ ${signed(value - theirs)}${Math.abs(theirs) > 1 ? ` = ${signed((value - theirs) / Math.abs(theirs))} rel.` : ''}`;
        return `${relation} ${shortName(ref, rows)}`;
      });
    parts.push(`${format.label} ${format.value(value)}${comparisons.length > 0 ? ` (${comparisons.join(', ')})` : ''}`);
  }
  if (row.ariTruth !== undefined) parts.push(`ARI truth ${row.ariTruth.toFixed(4)}`);
  for (const [name, ari] of Object.entries(row.ariVs)) {
    const reference = rows.find((r) => rowName(r) === name)!;
    parts.push(`ARI vs ${shortName(reference, rows)} ${ari.toFixed(4)}`);
  }
  for (const [name, share] of Object.entries(row.reachabilityAgreement)) {
    const reference = rows.find((r) => rowName(r) === name)!;
    parts.push(`reachability = ${shortName(reference, rows)} at ${(share * 100).toFixed(2)}%`);
  }
  return parts.join('; ');
}

function signed(value: number): string {
  const text = Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(1);
  return value > 0 ? `+${text}` : text;
}

function formatNotes(row: RowResult): string {
  const parts: string[] = [];
  if (row.status === 'not-implemented' || row.status === 'missing' || row.status === 'failed') {
    parts.push(row.status === 'failed' ? `FAILED: ${row.note ?? ''}` : (row.note ?? row.status));
  } else if (row.note) parts.push(row.note);
  if (row.clusters) {
    const noise = row.clusters.noiseFraction > 0 ? `, ${(row.clusters.noiseFraction * 100).toFixed(1)}% noise` : '';
    parts.push(`${row.clusters.nClusters} clusters${noise}`);
  }
  for (const [key, value] of Object.entries(row.info)) if (value !== null) parts.push(`${key} ${value}`);
  if (row.status === 'ok') parts.push(`load ${row.loadAverage.toFixed(1)}`);
  return parts.join('; ');
}

const COLUMNS = ['task', 'tool', 'N×d', 'time', 'ratio', 'peak RSS (+in call)', 'threads', 'quality', 'notes'] as const;

function tableRows(tasks: TaskResult[]): string[][] {
  return tasks.flatMap((task) =>
    task.rows.map((row) => [
      task.id,
      rowName(row),
      `${row.n}×${row.d}`,
      row.status === 'ok' ? formatSeconds(row.seconds) : '—',
      formatRatio(row, task.rows),
      formatMemory(row),
      row.threads ?? '',
      formatQuality(row, task.rows),
      formatNotes(row),
    ]),
  );
}

export function textTable(tasks: TaskResult[]): string {
  const rows = [COLUMNS.slice() as string[], ...tableRows(tasks)];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  ')];
  let previousTask = '';
  for (const row of rows.slice(1)) {
    if (previousTask !== '' && row[0] !== previousTask) out.push('');
    previousTask = row[0];
    out.push(line(row));
  }
  return out.join('\n');
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function machineDescription(): Record<string, string | number> {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const match = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpuModel = match[1].trim();
  } catch {
    // /proc exists on Linux only; os.cpus() already gave a model name.
  }
  const git = (args: string[]) => spawnSync('git', args, { encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  return {
    cpu: cpuModel,
    logicalCores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    commit: commit === '' ? 'unknown' : `${commit}${dirty ? ' + uncommitted changes' : ''}`,
  };
}

export function writeReports(dir: string, tasks: TaskResult[], context: ReportContext): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const machine = machineDescription();
  const generatedAt = new Date().toISOString();
  const jsonPath = join(dir, 'latest.json');
  const markdownPath = join(dir, 'latest.md');
  const tableData = tableRows(tasks);
  writeFileSync(
    jsonPath,
    JSON.stringify(
      {
        generatedAt,
        command: context.command,
        machine,
        settings: { referenceThreads: context.threads, scale: context.scale, timeoutSeconds: context.timeoutSeconds },
        notes: FAIRNESS_NOTES,
        tasks: tasks.map((task) => ({
          ...task,
          rows: task.rows.map((row) => ({
            ...row,
            display: { ratio: formatRatio(row, task.rows), quality: formatQuality(row, task.rows), notes: formatNotes(row) },
          })),
        })),
      },
      null,
      2,
    ) + '\n',
  );
  const markdown = [
    `# Centroid engine benchmark`,
    '',
    `${generatedAt} · \`${context.command}\``,
    '',
    `Machine: ${machine.cpu}, ${machine.logicalCores} logical cores, ${machine.memoryGiB} GiB; Node ${machine.node}; commit ${machine.commit}.`,
    `References may use ${context.threads} threads (OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = NUMBA_NUM_THREADS = n_jobs = ${context.threads}); size scale ${context.scale}.`,
    '',
    ...FAIRNESS_NOTES.map((note) => `- ${note}`),
    '',
    '## Data sets',
    '',
    ...tasks.map((task) => `- **${task.id}** (${task.summary}): ${task.dataset}, N = ${task.n}`),
    '',
    '## Results',
    '',
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...tableData.map((cells) => `| ${cells.map(markdownCell).join(' | ')} |`),
    '',
    '## Versions',
    '',
    ...[...new Set(tasks.flatMap((t) => t.rows.filter((r) => r.version !== undefined).map((r) => `- ${r.toolName}: ${r.version}`)))],
    '',
  ].join('\n');
  writeFileSync(markdownPath, markdown);
  return { json: jsonPath, markdown: markdownPath };
}
