import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { readModelSettings } from "../../src/config/model-settings.js";

// The thrown ConfigError's message, or a failure if nothing (or something else) was thrown.
function configErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

describe("readModelSettings", () => {
  it("defaults to 5 retries and a 120-second request timeout", () => {
    expect(readModelSettings({})).toEqual({ maxRetries: 5, requestTimeoutMs: 120_000 });
  });

  it("treats empty variables as unset", () => {
    expect(readModelSettings({ AGENTWF_MAX_RETRIES: "", AGENTWF_REQUEST_TIMEOUT: "" })).toEqual({
      maxRetries: 5,
      requestTimeoutMs: 120_000,
    });
  });

  it("reads AGENTWF_MAX_RETRIES, accepting 0 and 20", () => {
    expect(readModelSettings({ AGENTWF_MAX_RETRIES: "0" }).maxRetries).toBe(0);
    expect(readModelSettings({ AGENTWF_MAX_RETRIES: "20" }).maxRetries).toBe(20);
  });

  it("reads AGENTWF_REQUEST_TIMEOUT in seconds, fractions included, and returns milliseconds", () => {
    expect(readModelSettings({ AGENTWF_REQUEST_TIMEOUT: "0.5" }).requestTimeoutMs).toBe(500);
    expect(readModelSettings({ AGENTWF_REQUEST_TIMEOUT: "3600" }).requestTimeoutMs).toBe(3_600_000);
  });

  it.each([
    ["abc", "AGENTWF_MAX_RETRIES: Invalid input: expected number, received NaN; unset it or give a valid number"],
    ["21", "AGENTWF_MAX_RETRIES: Too big: expected number to be <=20; unset it or give a valid number"],
    ["1.5", "AGENTWF_MAX_RETRIES: Invalid input: expected int, received number; unset it or give a valid number"],
    ["-1", "AGENTWF_MAX_RETRIES: Too small: expected number to be >=0; unset it or give a valid number"],
  ])("rejects AGENTWF_MAX_RETRIES=%s with a message naming the variable", (value, message) => {
    expect(configErrorOf(() => readModelSettings({ AGENTWF_MAX_RETRIES: value }))).toBe(message);
  });

  it.each([
    ["abc", "AGENTWF_REQUEST_TIMEOUT: Invalid input: expected number, received NaN; unset it or give a valid number"],
    ["0", "AGENTWF_REQUEST_TIMEOUT: Too small: expected number to be >0; unset it or give a valid number"],
    ["3601", "AGENTWF_REQUEST_TIMEOUT: Too big: expected number to be <=3600; unset it or give a valid number"],
  ])("rejects AGENTWF_REQUEST_TIMEOUT=%s with a message naming the variable", (value, message) => {
    expect(configErrorOf(() => readModelSettings({ AGENTWF_REQUEST_TIMEOUT: value }))).toBe(message);
  });
});
