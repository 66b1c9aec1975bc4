/** Execution lifecycle: pending → processing → completed | failed (cancel ends in failed). */
export const EXECUTION_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

const NEXT: Record<ExecutionStatus, readonly ExecutionStatus[]> = {
  // processing → pending happens when a dead worker's lease is recovered for another attempt.
  pending: ['processing', 'failed'],
  processing: ['completed', 'failed', 'pending'],
  completed: [],
  failed: [],
};

export function canTransition(from: ExecutionStatus, to: ExecutionStatus): boolean {
  return NEXT[from].includes(to);
}

export function isTerminal(status: ExecutionStatus): boolean {
  return NEXT[status].length === 0;
}

/** Task statuses of the reference's TaskStatusEnum that an execution maps onto. */
export type TaskStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'CANCELED';

export function taskStatusOf(status: ExecutionStatus, canceled: boolean): TaskStatus {
  if (canceled && status === 'failed') return 'CANCELED';
  switch (status) {
    case 'pending':
      return 'PENDING';
    case 'processing':
      return 'PROCESSING';
    case 'completed':
      return 'COMPLETED';
    case 'failed':
      return 'FAILED';
  }
}

export const CANCELED_MESSAGE = 'Execution canceled by request before it finished';
