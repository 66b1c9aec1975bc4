/**
 * Class-based TF-IDF (the c-TF-IDF of BERTopic): all documents of a cluster form one class
 * document; a term's weight in class c is its frequency there times log(1 + A / f_t), where A
 * is the average number of terms per class and f_t the term's frequency over all classes.
 * Terms frequent in one cluster and rare in the others rank first.
 *
 * One deviation: a document counts each term once (binary per document, summed per class), so
 * one long repetitive document cannot dominate its cluster's keywords.
 */
import { terms } from './tokenize.ts';

export interface ScoredTerm {
  term: string;
  score: number;
}

/** Collects per-class term counts document by document. */
export class ClassTermCounts {
  readonly counts: Array<Map<string, number>>;
  readonly documents: number[];
  constructor(readonly classes: number) {
    this.counts = Array.from({ length: classes }, () => new Map());
    this.documents = new Array(classes).fill(0);
  }

  addDocument(cls: number, text: string): void {
    const seen = new Set(terms(text));
    if (seen.size === 0) return;
    const map = this.counts[cls]!;
    for (const t of seen) map.set(t, (map.get(t) ?? 0) + 1);
    this.documents[cls]!++;
  }
}

/** The top `topN` terms of every class, best first (ties broken alphabetically, so results are stable). */
export function classTfIdf(counts: Array<Map<string, number>>, topN: number, documents?: number[]): ScoredTerm[][] {
  const totals = counts.map((m) => {
    let s = 0;
    for (const v of m.values()) s += v;
    return s;
  });
  const nonEmpty = totals.filter((t) => t > 0).length;
  if (nonEmpty === 0) return counts.map(() => []);
  const average = totals.reduce((a, b) => a + b, 0) / nonEmpty;
  const frequency = new Map<string, number>();
  for (const m of counts) for (const [t, v] of m) frequency.set(t, (frequency.get(t) ?? 0) + v);
  return counts.map((m, c) => {
    if (totals[c] === 0) return [];
    const scored: ScoredTerm[] = [];
    for (const [term, tf] of m) {
      // A term seen in one document only is noise in any cluster bigger than a handful.
      if (tf < 2 && documents !== undefined && documents[c]! >= 5) continue;
      scored.push({ term, score: (tf / totals[c]!) * Math.log(1 + average / frequency.get(term)!) });
    }
    scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return scored.slice(0, topN);
  });
}

/**
 * A readable name from ranked keywords: the best two or three that do not repeat one another
 * ("battery · charging · usb-c" rather than "battery · battery life · charging").
 */
export function labelFromKeywords(keywords: string[], parts = 3): string | null {
  const picked: string[] = [];
  const used = new Set<string>();
  for (const k of keywords) {
    const words = k.split(' ');
    if (words.some((w) => used.has(w))) continue;
    picked.push(k);
    for (const w of words) used.add(w);
    if (picked.length === parts) break;
  }
  return picked.length === 0 ? null : picked.join(' · ');
}
