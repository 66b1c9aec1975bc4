/** Loading, empty and error states: each says what is happening and what to do next. */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.ts';

export function Loading({ what }: { what: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty" role="status">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** Explains an API failure and the likely fix (sign in again, pick another namespace, retry). */
export function ErrorState({ error, what, retry }: { error: Error; what: string; retry?: () => void }) {
  let hint = 'Check that the server is running, then try again.';
  if (error instanceof ApiError) {
    if (error.status === 401) hint = 'Your API key was refused: sign out and sign in with a valid key (create one with `npx centroid keys create`).';
    else if (error.status === 404) hint = 'It may have been deleted or belong to another namespace: pick another namespace or go back to the cluster list.';
    else if (error.status >= 500) hint = 'The server failed; its log has the details. Try again in a moment.';
    else if (error.status === 409) hint = 'The resource is not in a state that allows this yet.';
  }
  return (
    <div class="state state-error" role="alert">
      <h2>Could not load {what}</h2>
      <p class="error-text">{error.message}</p>
      <p>{hint}</p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const s = status.toLowerCase();
  return <span class={`badge status-${s}`}>{s}</span>;
}
