// Every vector stored under one name must have the same dimensionality, or
// clustering over that name is meaningless. The first row of an import that
// uses a new name sets its dimensionality for the rest of the import.
import type { ImportRow, Loc, RowIssue } from './normalize-row.ts';

interface Established {
  dims: number;
  /** Row of this import that set it; null when the collection already had it. */
  row: number | null;
}

export class VectorDimensionCheck {
  private readonly known = new Map<string, Established>();

  constructor(existing: ReadonlyMap<string, number>) {
    for (const [name, dims] of existing) this.known.set(name, { dims, row: null });
  }

  check(row: ImportRow, index: number): RowIssue[] {
    const issues: RowIssue[] = [];
    for (const [name, vector] of row.vectors) {
      const seen = this.known.get(name);
      if (seen === undefined) {
        this.known.set(name, { dims: vector.length, row: index });
        continue;
      }
      if (seen.dims === vector.length) continue;
      const where =
        seen.row === null
          ? `this collection stores ${seen.dims}-dimensional '${name}' vectors`
          : `row ${seen.row} of this import already gave '${name}' ${seen.dims} dimensions`;
      const loc: Loc = row.vectorLocs?.get(name) ?? ['vectors', name];
      issues.push({
        loc: ['body', index, ...loc],
        type: 'dimension_mismatch',
        msg:
          `vector '${name}' has ${vector.length} values but ${where}; ` +
          're-embed with the same model, or store it under another vector name',
      });
    }
    return issues;
  }

  /** Vector names this import introduces, with the dimensionality it set for them. */
  newDimensions(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, e] of this.known) if (e.row !== null) out.set(name, e.dims);
    return out;
  }
}
