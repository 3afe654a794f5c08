import { describe, expect, it } from "vitest";
import { redactCredentialsDeep, redactUrlCredentials } from "../../src/text/url-credentials.js";

describe("redactUrlCredentials", () => {
  it.each([
    ["http://user:pass@127.0.0.1:9/v1", "http://user:***@127.0.0.1:9/v1"],
    ["https://token@host.example/v1", "https://***@host.example/v1"],
    ["could not reach http://a:b@x/v1/chat/completions (server: https://c:d%40e@y/v1)", "could not reach http://a:***@x/v1/chat/completions (server: https://c:***@y/v1)"],
    ["HTTPS://Me:p@ss@h/v1", "HTTPS://Me:***@h/v1"],
    ["http://user:@host/v1", "http://user:***@host/v1"],
  ])("hides the credentials in %s", (input, output) => {
    expect(redactUrlCredentials(input)).toBe(output);
  });

  it.each(["http://127.0.0.1:9/v1", "mail me at someone@example.com", "http://host/v1?user=a@b", "no url at all"])("leaves %s as it is", (input) => {
    expect(redactUrlCredentials(input)).toBe(input);
  });
});

describe("redactCredentialsDeep", () => {
  it("redacts every string of an event and keeps the rest", () => {
    const event = { type: "model_retry", attempt: 2, reason: "Request cannot be constructed from http://u:p@h/v1", nested: { list: ["x", "https://t@h"] } };
    expect(redactCredentialsDeep(event)).toEqual({ type: "model_retry", attempt: 2, reason: "Request cannot be constructed from http://u:***@h/v1", nested: { list: ["x", "https://***@h"] } });
  });

  it("returns the same object when nothing needed hiding", () => {
    const event = { type: "agent_text", delta: "hello", n: 1 };
    expect(redactCredentialsDeep(event)).toBe(event);
  });
});

describe("redactCredentialsDeep on every kind of value", () => {
  it("returns the same array when nothing in it needed hiding, nested objects included", () => {
    const list = ["a", 1, { b: "c" }, null];
    expect(redactCredentialsDeep(list)).toBe(list);
  });

  it("returns a new array with the credential hidden when one item needed it", () => {
    const list = ["a", "http://u:p@h/v1"];
    const out = redactCredentialsDeep(list);
    expect(out).toEqual(["a", "http://u:***@h/v1"]);
    expect(list).toEqual(["a", "http://u:p@h/v1"]);
  });

  it("keeps null, undefined, numbers and booleans as they are, inside objects too", () => {
    expect(redactCredentialsDeep(null)).toBe(null);
    expect(redactCredentialsDeep(undefined)).toBe(undefined);
    expect(redactCredentialsDeep(5)).toBe(5);
    const event = { a: null, b: undefined, c: 0, d: false, e: "http://t@h" };
    expect(redactCredentialsDeep(event)).toEqual({ a: null, b: undefined, c: 0, d: false, e: "http://***@h" });
  });

  it("hides credentials after any scheme, upper or lower case, with digits and + . - in it", () => {
    expect(redactUrlCredentials("git+ssh://me:pw@h/x")).toBe("git+ssh://me:***@h/x");
    expect(redactUrlCredentials("s3.v2-x://me:pw@h")).toBe("s3.v2-x://me:***@h");
    expect(redactUrlCredentials("Redis://:pw@h")).toBe("Redis://:***@h");
    expect(redactUrlCredentials("x http://ab:cd@h and https://ef@g")).toBe("x http://ab:***@h and https://***@g");
  });

  it("does not take a path, query or a space for a user name", () => {
    expect(redactUrlCredentials("http://h/a:b@c")).toBe("http://h/a:b@c");
    expect(redactUrlCredentials("http://h?a:b@c")).toBe("http://h?a:b@c");
    expect(redactUrlCredentials("http://h#a:b@c")).toBe("http://h#a:b@c");
    expect(redactUrlCredentials("http://a b:c@d")).toBe("http://a b:c@d");
    expect(redactUrlCredentials("http://a:b c@d")).toBe("http://a:b c@d");
    expect(redactUrlCredentials("1http://a:b@d")).toBe("1http://a:b@d");
  });
});
