/**
 * POSTs JSON to a provider with a per-request timeout, bounded retries with exponential backoff
 * (honouring Retry-After) on 429, 5xx and network errors, and a process-wide concurrency limit.
 */
import { LlmError, PROVIDER_LABELS, type LlmProviderName } from './types.ts';

export interface HttpPolicy {
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
}

/** A counting semaphore: at most `limit` holders at once, the rest wait in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const RETRY_AFTER_CAP_MS = 60_000;

/** Retry-After is either seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.min(RETRY_AFTER_CAP_MS, seconds * 1000));
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, Math.min(RETRY_AFTER_CAP_MS, at - now)) : null;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The part of an error body worth showing: `error.message` when the vendor sends one. */
function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    const message = typeof body.error === 'string' ? body.error : body.error?.message ?? body.message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    /* not JSON */
  }
  return text.slice(0, 300);
}

export class ProviderHttp {
  constructor(
    readonly provider: LlmProviderName,
    private readonly policy: HttpPolicy,
    private readonly limit: Semaphore,
  ) {}

  /** Returns the parsed JSON body and the attempts it took; throws LlmError after the last attempt. */
  async postJson(url: string, headers: Record<string, string>, body: unknown, model: string, signal?: AbortSignal): Promise<{ json: unknown; attempts: number }> {
    const name = `${PROVIDER_LABELS[this.provider]} model ${model}`;
    const payload = JSON.stringify(body);
    let last: LlmError | null = null;
    for (let attempt = 1; attempt <= this.policy.maxRetries + 1; attempt++) {
      if (signal?.aborted) throw signal.reason;
      let waitMs = this.policy.retryBaseMs * 2 ** (attempt - 1);
      try {
        const result = await this.limit.use(async () => {
          const timeout = AbortSignal.timeout(this.policy.timeoutMs);
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: payload,
            signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          });
          const text = await response.text();
          return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
        });
        if (result.status >= 200 && result.status < 300) {
          try {
            return { json: JSON.parse(result.text), attempts: attempt };
          } catch {
            throw new LlmError(`${name}: response is not JSON (HTTP ${result.status})`, this.provider, model, result.status, false);
          }
        }
        const retryable = result.status === 429 || result.status >= 500;
        const what = result.status === 429 ? 'rate limit exceeded' : result.status === 401 || result.status === 403 ? 'API key refused' : 'request failed';
        last = new LlmError(`${name}: ${what} (HTTP ${result.status}): ${errorDetail(result.text)}`, this.provider, model, result.status, retryable);
        if (!retryable) throw last;
        waitMs = retryAfterMs(result.retryAfter) ?? waitMs;
      } catch (error) {
        if (error instanceof LlmError) {
          if (!error.retryable) throw error;
        } else if (signal?.aborted) {
          throw signal.reason;
        } else {
          const e = error as Error & { cause?: { code?: string; message?: string } };
          const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
          const reason = timedOut ? `timed out after ${this.policy.timeoutMs} ms` : `network error: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
          last = new LlmError(`${name}: ${reason}`, this.provider, model, null, true);
        }
      }
      if (attempt <= this.policy.maxRetries) await sleep(waitMs, signal);
    }
    const tries = this.policy.maxRetries + 1;
    throw new LlmError(`${last!.message} (after ${tries} attempt${tries === 1 ? '' : 's'})`, this.provider, model, last!.status, false);
  }
}
