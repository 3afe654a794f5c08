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

describe("the allow-list, name by name", () => {
  it("passes on each allowed name and every LC_ variable, and nothing else", () => {
    const allowed = { PATH: "/p", LANG: "C", LANGUAGE: "en", TERM: "dumb", TZ: "UTC", USER: "me", LOGNAME: "me", SHELL: "/bin/sh", COLORTERM: "truecolor", NO_COLOR: "1", FORCE_COLOR: "0", CI: "true", LC_CTYPE: "C.UTF-8" };
    const env = { ...allowed, EDITOR: "vi", XLC_X: "no", SSH_AUTH_SOCK: "/tmp/s", HOME: "/home/me", TMPDIR: "/var/tmp", UNSET: undefined };
    expect(scrubbedEnv(env, "/sandbox/home")).toEqual({ ...allowed, HOME: "/sandbox/home", TMPDIR: "/tmp" });
  });

  it("leaves out a secret even where its name starts like an allowed one, and gives a PATH when there is none", () => {
    expect(scrubbedEnv({ LC_TOKEN: "tok-0123456789", LC_NUMERIC: "C" }, "/h")).toEqual({ LC_NUMERIC: "C", PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/h", TMPDIR: "/tmp" });
    // An allowed name that is unset is left out, not passed on as undefined.
    expect(scrubbedEnv({ PATH: undefined, TZ: undefined, LC_ALL: undefined }, "/h")).toStrictEqual({ PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/h", TMPDIR: "/tmp" });
  });
});

describe("secret names", () => {
  it("are the names whose last word names a key, in any case", () => {
    const secret = [
      "API_KEY",
      "MY_APIKEY",
      "X_TOKEN",
      "X_AUTH_TOKEN",
      "X_AUTHTOKEN",
      "CLIENT_SECRET",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "PASSWORD",
      "SMTP_PASSWD",
      "X_CREDENTIAL",
      "X_CREDENTIALS",
      "SSH_PRIVATE_KEY",
      "X_ACCESS_KEY",
      "X_ACCESS_KEY_ID",
      "BASIC_AUTH",
      "registry_authToken",
      "myAuthToken",
      "github_token",
      "GOOGLE_APPLICATION_CREDENTIALS",
    ];
    expect(secret.filter((name) => !isSecretName(name))).toEqual([]);
  });

  it("are not names where such a word is only part of another word or not the last", () => {
    const plain = ["XTOKEN", "TOKEN_FILE", "MYSECRET", "SECRETS_DIR", "PASSWORDS", "AUTHOR", "ACCESS_KEYS", "API_KEY_FILE", "authTokenFile", "GOOGLE_APPLICATION_CREDENTIALS_DIR", "TOKENIZER", "_", ""];
    expect(plain.filter((name) => isSecretName(name))).toEqual([]);
  });
});

describe("secret values", () => {
  it("are trimmed, kept from 8 characters on, once each, and skip unset variables", () => {
    const env = { A_TOKEN: "  1234567  ", B_TOKEN: " 12345678 ", C_TOKEN: "12345678", D_TOKEN: undefined, LONG_SECRET: "abcdefghijk", PLAIN: "not-a-secret-value" };
    expect(secretValues(env)).toEqual(["abcdefghijk", "12345678"]);
  });

  it("are scrubbed wherever they occur, a longer one before the key inside it", () => {
    const scrub = createSecretScrubber(secretValues({ OUTER_TOKEN: "prefix-inner-key-9", INNER_TOKEN: "inner-key-9" }));
    expect(scrub("a prefix-inner-key-9 b inner-key-9 c inner-key-9")).toBe(`a ${SECRET_MARK} b ${SECRET_MARK} c ${SECRET_MARK}`);
    expect(createSecretScrubber([])("inner-key-9 stays")).toBe("inner-key-9 stays");
    expect(createSecretScrubber(["sk-0123456789"])("key=sk-0123456789.")).toBe("key=[secret removed].");
  });

  it("are scrubbed inside nested arrays and objects; numbers, booleans and null are kept", () => {
    const scrub = createSecretScrubber(["sk-0123456789"]);
    const event = { a: null, b: [1, true, ["sk-0123456789"]], c: { d: { e: "key=sk-0123456789" } }, f: undefined };
    expect(scrubDeep(event, scrub)).toStrictEqual({ a: null, b: [1, true, [SECRET_MARK]], c: { d: { e: `key=${SECRET_MARK}` } }, f: undefined });
    expect(scrubDeep(["sk-0123456789"], scrub)).toStrictEqual([SECRET_MARK]);
  });
});
