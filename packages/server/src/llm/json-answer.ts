/** Models sometimes wrap JSON in prose or code fences even in JSON mode; take the JSON out. */
export function parseJsonAnswer(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    /* fall through */
  }
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fenced) {
    try {
      return JSON.parse(fenced[1]!.trim());
    } catch {
      /* fall through */
    }
  }
  const start = trimmed.search(/[[{]/);
  const end = Math.max(trimmed.lastIndexOf('}'), trimmed.lastIndexOf(']'));
  if (start >= 0 && end > start) return JSON.parse(trimmed.slice(start, end + 1));
  throw new SyntaxError('no JSON in the answer');
}

/** Picks the numeric/string parameters a vendor understands, under the vendor's own names. */
export function pickParameters(parameters: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [given, wire] of Object.entries(names)) {
    if (parameters[given] !== undefined && out[wire] === undefined) out[wire] = parameters[given];
  }
  return out;
}
