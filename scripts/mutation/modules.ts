// The modules that guard the person, each mutated against its own tests only: a mutant one of
// these tests does not notice is a mistake the module's own tests would let through.
export interface MutationModule {
  readonly name: string;
  /** What the module guards, for the table. */
  readonly guards: string;
  readonly mutate: readonly string[];
  readonly testFiles: readonly string[];
}

export const MUTATION_MODULES: readonly MutationModule[] = [
  {
    name: "workspace",
    guards: "no read outside the workspace, no hang on a FIFO or device",
    mutate: ["src/workspace/workspace-guard.ts", "src/workspace/read-workspace-file.ts", "src/workspace/regular-file.ts"],
    testFiles: ["test/workspace/*.test.ts"],
  },
  {
    name: "workspace-write",
    guards: "edit_file and write_file write only regular files inside the workspace, never .git/",
    mutate: ["src/workspace/write-workspace-file.ts"],
    testFiles: ["test/tools/edit-write-file.test.ts", "test/workspace/write-workspace-file.test.ts"],
  },
  {
    name: "text",
    guards: "no control sequence reaches the terminal; durations, issues and URLs shown safely",
    mutate: ["src/text/*.ts"],
    testFiles: ["test/text/*.test.ts"],
  },
  {
    name: "stream-accumulator",
    guards: "a model's streamed tool calls become exactly the calls it made",
    mutate: ["src/model/stream-accumulator.ts", "src/model/json-tracker.ts"],
    testFiles: ["test/model/stream-accumulator*.test.ts", "test/model/json-tracker.test.ts"],
  },
  {
    name: "workflow-validation",
    guards: "hidden characters, imports and a missing main are refused before approval",
    mutate: ["src/workflow/validate.ts"],
    testFiles: ["test/workflow/validate.test.ts", "test/workflow/validate-edges.test.ts", "test/workflow/claude-validate.test.ts", "test/workflow/intake.test.ts"],
  },
  {
    // Apart from validate.ts so that each is a run of minutes on a busy machine, not most of an hour.
    name: "workflow-dialects",
    guards: "the dialect is told right; Claude Code–format scripts are checked; intake undoes only what has one meaning",
    mutate: ["src/workflow/dialect.ts", "src/workflow/claude-checks.ts", "src/workflow/intake.ts"],
    testFiles: ["test/workflow/dialect.test.ts", "test/workflow/claude-validate.test.ts", "test/workflow/intake.test.ts"],
  },
  {
    name: "config-trust",
    guards: "a project's config file may only tighten; keys go only to their own host",
    mutate: ["src/config/project-trust.ts", "src/config/model-access.ts"],
    testFiles: ["test/config/project-trust.test.ts", "test/config/model-access.test.ts", "test/config/trust-edges.test.ts", "test/config/sandbox-trust.test.ts"],
  },
  {
    name: "scheduler-budget",
    guards: "--max-agents, --concurrency and --budget hold",
    mutate: ["src/workflow/scheduler.ts", "src/run/budget.ts", "src/run/usage-meter.ts"],
    testFiles: ["test/workflow/scheduler*.test.ts", "test/run/budget.test.ts", "test/run/usage-meter.test.ts"],
  },
  {
    name: "secrets",
    guards: "tools' processes get only the allow-listed environment; keys are scrubbed from output; .env files are not read",
    mutate: ["src/config/secret-env.ts", "src/tools/dotenv-policy.ts"],
    testFiles: ["test/config/secret-env.test.ts", "test/tools/dotenv-policy.test.ts"],
  },
  {
    name: "sandbox",
    guards: "an agent type may narrow the run's sandbox, never widen it; bubblewrap gets the mode's mounts and nothing of the home",
    mutate: ["src/config/sandbox-mode.ts", "src/tools/shell/sandbox-command.ts"],
    testFiles: ["test/config/sandbox-trust.test.ts", "test/config/sandbox-mode.test.ts", "test/tools/shell/sandbox-command.test.ts"],
  },
];
