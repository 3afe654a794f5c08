import { MUTATION_MODULES } from "./modules.js";
import { runModule } from "./run-module.js";
const m = MUTATION_MODULES.find((x) => x.name === process.argv[2])!;
const r = await runModule(m, { concurrency: 2, incremental: false });
console.log(JSON.stringify(r, null, 1));
