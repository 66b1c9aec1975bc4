/** Thrown when a caller-supplied `shouldStop` callback asks a computation to stop. */
export class ComputationCanceledError extends Error {
  constructor(message = 'computation canceled') {
    super(message);
    this.name = 'ComputationCanceledError';
  }
}

export function throwIfCanceled(shouldStop: (() => boolean) | undefined): void {
  if (shouldStop !== undefined && shouldStop()) throw new ComputationCanceledError();
}
