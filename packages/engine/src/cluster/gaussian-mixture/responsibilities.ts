/**
 * Responsibilities stored sparsely, row by row (CSR): after the first EM
 * steps almost every point belongs to one or two components, the rest being
 * below e^-50 of the largest, so the M-step only touches entries that can
 * matter. Initialisations with a dense start ('random') store every entry.
 *
 * Row i spans [rowStart[i], rowStart[i+1]) of `component` / `value`.
 */
export class Responsibilities {
  readonly rowStart: Int32Array;
  component: Int32Array;
  value: Float64Array;
  private rows = 0;
  private cursor = 0;

  constructor(
    readonly n: number,
    initialCapacity: number,
  ) {
    this.rowStart = new Int32Array(n + 1);
    const cap = Math.max(16, initialCapacity);
    this.component = new Int32Array(cap);
    this.value = new Float64Array(cap);
  }

  /** Forget all rows; capacity is kept. */
  reset(): void {
    this.rows = 0;
    this.cursor = 0;
  }

  /** Append an entry to the row being built (rows are built in order 0..n-1). */
  push(component: number, value: number): void {
    if (this.cursor === this.component.length) this.grow();
    this.component[this.cursor] = component;
    this.value[this.cursor] = value;
    this.cursor++;
  }

  /** Close the row being built. */
  endRow(): void {
    this.rows++;
    this.rowStart[this.rows] = this.cursor;
  }

  private grow(): void {
    const cap = this.component.length * 2;
    const component = new Int32Array(cap);
    component.set(this.component);
    const value = new Float64Array(cap);
    value.set(this.value);
    this.component = component;
    this.value = value;
  }
}
