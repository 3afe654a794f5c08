// Color for the terminal UI and the progress lines. chalk's detection honours FORCE_COLOR and
// whether the stream is a terminal, but not NO_COLOR (https://no-color.org), so that is added here.

export type ColorLevel = 0 | 1 | 2 | 3;

/** The detected level, with NO_COLOR (set and not empty) turning color off unless FORCE_COLOR asks for it. */
export function resolveColorLevel(env: Readonly<Record<string, string | undefined>>, detected: ColorLevel): ColorLevel {
  const forced = env.FORCE_COLOR;
  if (forced !== undefined) return detected;
  const noColor = env.NO_COLOR;
  return noColor !== undefined && noColor !== "" ? 0 : detected;
}
