// Keys stay with the person. Processes the tools start get an environment built from an
// allow-list (what a build needs), never the person's whole environment; and the values of the
// variables that look like secrets are known here, so the text of tool output, events and the
// report can be scrubbed of them wherever a process or a file echoed one back.

/** Variables a build or a test run needs; everything else is left out. */
const ALLOWED_NAMES = new Set(["PATH", "LANG", "LANGUAGE", "TERM", "TZ", "USER", "LOGNAME", "SHELL", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "CI"]);
const ALLOWED_PREFIXES = ["LC_"];

/** Names that hold keys, tokens and passwords: never passed on, and their values scrubbed. */
// Matched against the name's words, so GITHUB_WORKSPACE or npm_config_local_prefix (paths) are
// not taken for keys while GITHUB_TOKEN and npm's `_authToken` are.
const SECRET_NAME = /(?:^|_)(?:API_?KEY|TOKEN|AUTH_?TOKEN|SECRET|SECRET_ACCESS_KEY|SESSION_TOKEN|PASSWORD|PASSWD|CREDENTIALS?|PRIVATE_KEY|ACCESS_KEY(?:_ID)?|AUTH)$|authToken$|^GOOGLE_APPLICATION_CREDENTIALS$/i;

// Short values ("1", "true") would scrub ordinary words out of every output.
const MIN_SECRET_LENGTH = 8;

export type EnvLike = Readonly<Record<string, string | undefined>>;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The environment a tool's process sees: the allow-list from `env`, with HOME and TMPDIR set to
 * the sandbox's own (never the person's home, where the keys are).
 */
export function scrubbedEnv(env: EnvLike, home: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretName(name)) continue;
    if (ALLOWED_NAMES.has(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix))) out[name] = value;
  }
  out.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  out.HOME = home;
  out.TMPDIR = "/tmp";
  return out;
}

/** The values of the secret-looking variables in `env`, longest first so a key inside another is not half-scrubbed. */
export function secretValues(env: EnvLike): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    const trimmed = value?.trim();
    if (trimmed === undefined || trimmed.length < MIN_SECRET_LENGTH || !isSecretName(name)) continue;
    values.add(trimmed);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export const SECRET_MARK = "[secret removed]";

export type SecretScrubber = (text: string) => string;

/** Replaces every known secret value in a text with a mark. */
export function createSecretScrubber(values: readonly string[]): SecretScrubber {
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const value of values) if (out.includes(value)) out = out.split(value).join(SECRET_MARK);
    return out;
  };
}

/** Scrubs every string inside a JSON-like value (an event, a journal entry); other values are kept. */
export function scrubDeep<T>(value: T, scrub: SecretScrubber): T {
  return scrubAny(value, scrub) as T;
}

function scrubAny(value: unknown, scrub: SecretScrubber): unknown {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubAny(item, scrub));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = scrubAny(item, scrub);
    return out;
  }
  return value;
}
