/**
 * Checks `llm_labeling` beyond what the request schema can say (the schema already bounds the
 * numbers and enums; these checks also guard configurations that arrive other ways).
 */
import type { ValidationIssue } from '../domain/errors.ts';
import { providerOfModel } from './options.ts';

type Loc = (string | number)[];
const PROVIDERS = ['openai', 'anthropic', 'google'];

function numberIn(issues: ValidationIssue[], loc: Loc, value: unknown, min: number, max: number, integer: boolean, hint: string): void {
  if (value === undefined || value === null) return;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value)) && value >= min && value <= max;
  if (!ok) issues.push({ loc, msg: `Input should be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}${hint}`, type: 'value_error' });
}

export function checkLlmLabeling(raw: unknown, loc: Loc, issues: ValidationIssue[]): void {
  if (raw === null || raw === undefined || typeof raw !== 'object') return;
  const l = raw as Record<string, unknown>;
  if (l.provider != null && !PROVIDERS.includes(l.provider as string)) {
    issues.push({ loc: [...loc, 'provider'], msg: `Input should be 'openai', 'anthropic' or 'google' (got '${String(l.provider)}')`, type: 'enum' });
  }
  if (typeof l.model_name === 'string' && typeof l.provider === 'string' && PROVIDERS.includes(l.provider)) {
    const owner = providerOfModel(l.model_name);
    if (owner !== null && owner !== l.provider) {
      issues.push({ loc: [...loc, 'model_name'], msg: `Model '${l.model_name}' belongs to provider '${owner}', not '${l.provider}': set provider to '${owner}' or pick a ${l.provider} model`, type: 'value_error' });
    }
  }
  numberIn(issues, [...loc, 'max_samples_per_cluster'], l.max_samples_per_cluster, 1, 20, true, ' (representative documents sent per cluster)');
  numberIn(issues, [...loc, 'sample_text_max_length'], l.sample_text_max_length, 1, 500, true, ' (characters kept per sample)');
  numberIn(issues, [...loc, 'embedding_similarity_threshold'], l.embedding_similarity_threshold, 0, 1, false, ' (cosine similarity at which two labels count as duplicates)');
  numberIn(issues, [...loc, 'cache_ttl_seconds'], l.cache_ttl_seconds, 0, 2_592_000, true, ' (0 turns the label cache off)');
  const parameters = l.parameters as Record<string, unknown> | undefined;
  if (parameters && typeof parameters === 'object') {
    numberIn(issues, [...loc, 'parameters', 'temperature'], parameters.temperature, 0, 2, false, '');
    numberIn(issues, [...loc, 'parameters', 'max_tokens'], parameters.max_tokens, 1, 1_000_000, true, '');
    if (parameters.model !== undefined && (typeof parameters.model !== 'string' || parameters.model.trim() === '')) {
      issues.push({ loc: [...loc, 'parameters', 'model'], msg: 'parameters.model overrides the model id sent to the provider and must be a non-empty string', type: 'value_error' });
    }
  }
  const mappings = (l.labeling_inputs as { input_mappings?: unknown } | null | undefined)?.input_mappings;
  if (Array.isArray(mappings)) {
    mappings.forEach((m: Record<string, unknown>, i) => {
      const at = [...loc, 'labeling_inputs', 'input_mappings', i];
      const source = m?.source_type ?? 'payload';
      if ((source === 'payload' || source === 'vector') && (typeof m?.path !== 'string' || m.path.split('.').some((p) => p === ''))) {
        issues.push({ loc: [...at, 'path'], msg: `A ${source} mapping needs a dot path to read, e.g. 'title' or 'metadata.description'`, type: 'missing' });
      }
      if (source === 'literal' && (m?.override === undefined || m.override === null)) {
        issues.push({ loc: [...at, 'override'], msg: 'A literal mapping needs the value to send in override', type: 'missing' });
      }
    });
  }
}
