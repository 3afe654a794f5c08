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
    testFiles: ["test/workflow/validate.test.ts", "test/workflow/validate-edges.test.ts"],
  },
  {
    name: "config-trust",
    guards: "a project's config file may only tighten; keys go only to their own host",
    mutate: ["src/config/project-trust.ts", "src/config/model-access.ts"],
    testFiles: ["test/config/project-trust.test.ts", "test/config/model-access.test.ts", "test/config/trust-edges.test.ts"],
  },
  {
    name: "scheduler-budget",
    guards: "--max-agents, --concurrency and --budget hold",
    mutate: ["src/workflow/scheduler.ts", "src/run/budget.ts", "src/run/usage-meter.ts"],
    testFiles: ["test/workflow/scheduler*.test.ts", "test/run/budget.test.ts", "test/run/usage-meter.test.ts"],
  },
];
