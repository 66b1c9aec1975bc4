/**
 * Thin fetch wrapper: adds the bearer key and X-Namespace, parses both error shapes the server
 * sends (the ErrorResponse envelope, and FastAPI-style 422 `{detail: [{loc, msg, type}]}`).
 */
import type { ValidationItem } from './types.ts';

const KEY_STORAGE = 'centroid.apiKey';
const NAMESPACE_STORAGE = 'centroid.namespace';

export const session = {
  get key(): string | null {
    return sessionStorage.getItem(KEY_STORAGE);
  },
  set key(value: string | null) {
    if (value === null) sessionStorage.removeItem(KEY_STORAGE);
    else sessionStorage.setItem(KEY_STORAGE, value);
  },
  get namespace(): string | null {
    return sessionStorage.getItem(NAMESPACE_STORAGE);
  },
  set namespace(value: string | null) {
    if (value === null) sessionStorage.removeItem(NAMESPACE_STORAGE);
    else sessionStorage.setItem(NAMESPACE_STORAGE, value);
  },
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly detail: ValidationItem[] | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  body?: unknown;
  /** Namespace to send; defaults to the session's. `null` sends none. */
  namespace?: string | null;
  signal?: AbortSignal;
  key?: string;
}

function headersFor(options: RequestOptions, json: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const key = options.key ?? session.key;
  if (key) headers.authorization = `Bearer ${key}`;
  const ns = options.namespace === undefined ? session.namespace : options.namespace;
  if (ns) headers['x-namespace'] = ns;
  if (json) headers['content-type'] = 'application/json';
  return headers;
}

async function failure(response: Response): Promise<ApiError> {
  let body: any = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: fall through to a generic message
  }
  if (response.status === 422 && Array.isArray(body?.detail)) {
    const detail = body.detail as ValidationItem[];
    return new ApiError(422, detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; '), 'validation_error', detail);
  }
  const message = body?.error?.message ?? `${response.status} ${response.statusText}`;
  return new ApiError(response.status, message, body?.error?.code ?? null);
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const hasBody = options.body !== undefined;
  const init: RequestInit = { method, headers: headersFor(options, hasBody) };
  if (hasBody) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return (text === '' ? null : JSON.parse(text)) as T;
}

export async function apiBinary(path: string, options: RequestOptions = {}): Promise<ArrayBuffer> {
  const init: RequestInit = { headers: headersFor(options, false) };
  if (options.signal) init.signal = options.signal;
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  return response.arrayBuffer();
}

export const enc = encodeURIComponent;
