/** A small tokenizer for keyword extraction: lower case, letters/digits with inner hyphens or apostrophes. */
import { ENGLISH_STOP_WORDS } from './stop-words.ts';

const TOKEN = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;

function isContentToken(token: string): boolean {
  if (token.length < 2 || ENGLISH_STOP_WORDS.has(token)) return false;
  return !/^[\d\-']+$/.test(token); // numbers and dates say little about a topic
}

/**
 * Unigrams and bigrams of one text. A bigram joins two adjacent content words; a stop word,
 * number or punctuation between them breaks the phrase ("battery of the phone" gives no bigram).
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  let previous: string | null = null;
  let lastEnd = 0;
  for (const match of text.toLowerCase().matchAll(TOKEN)) {
    const token = match[0].replace(/’/g, "'");
    const gap = text.slice(lastEnd, match.index);
    lastEnd = match.index! + match[0].length;
    if (!isContentToken(token)) {
      previous = null;
      continue;
    }
    out.push(token);
    if (previous !== null && /^\s*$/.test(gap)) out.push(`${previous} ${token}`);
    previous = token;
  }
  return out;
}
