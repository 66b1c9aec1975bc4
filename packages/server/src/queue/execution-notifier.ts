/** How services tell this process's workers about new or canceled executions without waiting for a poll. */
export interface ExecutionNotifier {
  wake(): void;
  cancel(runId: string): void;
}

export const NO_NOTIFIER: ExecutionNotifier = { wake() {}, cancel() {} };
