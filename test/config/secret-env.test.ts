// What the tools' processes see of the person's environment, and which values are scrubbed.
import { describe, expect, it } from "vitest";
import { SECRET_MARK, createSecretScrubber, isSecretName, scrubDeep, scrubbedEnv, secretValues } from "../../src/config/secret-env.js";

const ENV = {
  PATH: "/usr/bin:/bin",
  HOME: "/home/me",
  LANG: "en_US.UTF-8",
  LC_ALL: "C",
  TERM: "xterm",
  OPENAI_API_KEY: "sk-openai-1234567890",
  AGENTWF_API_KEY: "sk-agentwf-abcdefgh",
  GITHUB_TOKEN: "ghp_0123456789abcdef",
  AWS_SECRET_ACCESS_KEY: "aws/secret/0123456789",
  AWS_REGION: "eu-west-1",
  GOOGLE_APPLICATION_CREDENTIALS: "/home/me/gcp.json",
  npm_config__authToken: "npm_tokenvalue123",
  GITHUB_WORKSPACE: "/work/repo",
  DB_PASSWORD: "short",
  SSH_AUTH_SOCK: "/tmp/ssh-agent.sock",
};

describe("the tools' environment", () => {
  it("keeps only the allow-list, with the sandbox's HOME", () => {
    expect(scrubbedEnv(ENV, "/tmp/home")).toEqual({ PATH: "/usr/bin:/bin", HOME: "/tmp/home", LANG: "en_US.UTF-8", LC_ALL: "C", TERM: "xterm", TMPDIR: "/tmp" });
  });

  it("names keys, tokens and passwords as secrets, not paths", () => {
    for (const name of ["OPENAI_API_KEY", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "GOOGLE_APPLICATION_CREDENTIALS", "npm_config__authToken", "DB_PASSWORD", "HF_TOKEN"]) {
      expect([name, isSecretName(name)]).toEqual([name, true]);
    }
    for (const name of ["GITHUB_WORKSPACE", "npm_config_local_prefix", "AWS_REGION", "PATH", "TOKENIZERS_PARALLELISM"]) {
      expect([name, isSecretName(name)]).toEqual([name, false]);
    }
  });

  it("scrubs every known value from text and from events, longest first", () => {
    const values = secretValues(ENV);
    expect(values).toEqual(["aws/secret/0123456789", "sk-openai-1234567890", "ghp_0123456789abcdef", "sk-agentwf-abcdefgh", "/home/me/gcp.json", "npm_tokenvalue123"]);
    const scrub = createSecretScrubber(values);
    expect(scrub("key sk-openai-1234567890 and ghp_0123456789abcdef; short stays")).toBe(`key ${SECRET_MARK} and ${SECRET_MARK}; short stays`);
    expect(scrubDeep({ type: "tool_end", summary: ["x", "sk-agentwf-abcdefgh"], n: 1 }, scrub)).toEqual({ type: "tool_end", summary: ["x", SECRET_MARK], n: 1 });
  });
});
