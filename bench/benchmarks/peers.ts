import type { Benchmark } from "../lib/types.js";
export const peers: Benchmark = { id: "3", title: "Against peers", setup: "", async run() { throw new Error("skip: not yet"); } };
