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
