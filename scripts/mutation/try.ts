import { writeFileSync } from "node:fs";
import { MUTATION_MODULES } from "./modules.js";
import { runModule } from "./run-module.js";
for (const name of process.argv.slice(2)) {
  const m = MUTATION_MODULES.find((x) => x.name === name)!;
  const r = await runModule(m, { concurrency: 2, incremental: false });
  writeFileSync(`/tmp/res-${name}-${Date.now()}.json`, JSON.stringify(r, null, 1));
}
