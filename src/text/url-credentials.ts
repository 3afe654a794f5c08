// Credentials written into a URL (`http://user:secret@host/v1`) must not reach anything a person
// or a file keeps: stderr, stream-json, the run store, the live UI. Every writer passes its text
// through this one function, so a URL from a flag, the environment, a server's error message or a
// model's answer is shown as `http://user:***@host/v1`.

// scheme://userinfo@ where userinfo has no "/", "?", "#" or whitespace; a password runs to the last
// "@" of the authority, as URL parsers read `http://u:p@ss@host`. A user name alone (a token put
// there, as `https://TOKEN@github.com`) is a credential too, so it is hidden when no password
// follows it; with a password, the user name stays to say which account.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*)(?::([^\s/?#]*))?@/gi;

/** `http://user:pass@host` → `http://user:***@host`; `https://token@host` → `https://***@host`. */
export function redactUrlCredentials(text: string): string {
  if (!text.includes("@")) return text;
  return text.replace(USERINFO, (_match, scheme: string, user: string, password: string | undefined) =>
    password === undefined ? `${scheme}***@` : `${scheme}${user}:***@`,
  );
}

/** The same over every string inside a plain JSON-like value (an event), returning a copy only when something changed. */
export function redactCredentialsDeep<T>(value: T): T {
  if (typeof value === "string") return redactUrlCredentials(value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item: unknown) => {
      const next = redactCredentialsDeep(item);
      if (next !== item) changed = true;
      return next;
    });
    return (changed ? out : value) as T;
  }
  if (typeof value === "object" && value !== null) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const next = redactCredentialsDeep(item);
      if (next !== item) changed = true;
      out[key] = next;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
