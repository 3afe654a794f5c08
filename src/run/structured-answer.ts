// Reads the JSON a sub-agent was asked for out of its answer. Models wrap JSON in code fences or
// add a sentence around it despite instructions, so the outermost JSON value is taken.
export type StructuredAnswer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export function parseStructuredAnswer(text: string): StructuredAnswer {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text);
  const candidates = [text.trim(), fenced?.[1]?.trim()];
  // Each bracket kind spans its first opener to its last closer, the earlier-starting (outer) one
  // first. One span over both kinds would break on prose with brackets ("… estimates [approx].").
  const spans = ([["{", "}"], ["[", "]"]] as const)
    .map(([open, close]) => ({ start: text.indexOf(open), end: text.lastIndexOf(close) }))
    .filter(({ start, end }) => start >= 0 && end > start)
    .sort((a, b) => a.start - b.start);
  for (const { start, end } of spans) candidates.push(text.slice(start, end + 1));
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === "") continue;
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch {
      // try the next reading
    }
  }
  return { ok: false, error: `no JSON value found in: ${text.slice(0, 200)}` };
}
