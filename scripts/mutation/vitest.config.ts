// The project's vitest config, limited to one module's own tests. Stryker runs a static mutant
// (one in code that runs when a module loads, like a table) with no test filter, so the config
// itself must name the tests; the list comes from scripts/mutation/modules.ts via the environment.
import base from "../../vitest.config.js";

const include = (process.env.AGENTWF_MUTATION_TESTS ?? "").split(",").filter((glob) => glob !== "");
if (include.length === 0) throw new Error("AGENTWF_MUTATION_TESTS is empty: run this config through `npm run mutation`");

export default { ...base, test: { ...base.test, include, reporters: ["default"] } };
