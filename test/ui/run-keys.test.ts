import { describe, expect, it } from "vitest";
import type { KeyFlags } from "../../src/ui/approval-keys.js";
import { applyRunKeys, INITIAL_RUN_KEYS, type RunKeysState } from "../../src/ui/run-keys.js";

const none: KeyFlags = { upArrow: false, downArrow: false, pageUp: false, pageDown: false, home: false, end: false, return: false, escape: false, backspace: false, delete: false, ctrl: false, meta: false };
const IDS = ["w1.1", "w1.2", "w1.3"];
const press = (state: RunKeysState, input: string, flags: Partial<KeyFlags> = {}) => applyRunKeys(state, input, { ...none, ...flags }, IDS);

describe("applyRunKeys", () => {
  it("moves the cursor with the arrows and j/k, staying inside the list", () => {
    let state = INITIAL_RUN_KEYS;
    state = press(state, "", { downArrow: true }).state;
    expect(state.selected).toBe("w1.1");
    state = press(state, "", { downArrow: true }).state;
    expect(state.selected).toBe("w1.2");
    state = press(state, "j").state;
    state = press(state, "j").state;
    expect(state.selected).toBe("w1.3");
    state = press(state, "", { upArrow: true }).state;
    expect(state.selected).toBe("w1.2");
  });

  it("x stops the selected sub-agent, r restarts it, p pauses; without a cursor x and r only place it", () => {
    expect(press(INITIAL_RUN_KEYS, "x")).toEqual({ state: { selected: "w1.1", confirmStop: false }, effects: [] });
    expect(press(INITIAL_RUN_KEYS, "r")).toEqual({ state: { selected: "w1.1", confirmStop: false }, effects: [] });
    expect(press({ selected: "w1.1", confirmStop: false }, "x").effects).toEqual([{ type: "stop-agent", agentId: "w1.1" }]);
    const on2 = { selected: "w1.2", confirmStop: false };
    expect(press(on2, "r").effects).toEqual([{ type: "restart-agent", agentId: "w1.2" }]);
    expect(press(on2, "p").effects).toEqual([{ type: "toggle-pause" }]);
  });

  it("stops the whole run only after X and then a lone y", () => {
    const asked = press(INITIAL_RUN_KEYS, "X");
    expect(asked).toEqual({ state: { selected: undefined, confirmStop: true }, effects: [] });
    expect(press(asked.state, "y").effects).toEqual([{ type: "stop-run" }]);
    expect(press(asked.state, "n")).toEqual({ state: { selected: undefined, confirmStop: false }, effects: [] });
    expect(press(asked.state, "yy").effects).toEqual([]);
  });

  it("asks before stopping the run when x finds no sub-agent to stop", () => {
    expect(applyRunKeys(INITIAL_RUN_KEYS, "x", none, [])).toEqual({ state: { selected: undefined, confirmStop: true }, effects: [] });
  });

  it("never acts on a burst of keys (a paste), though j and k in it still move the cursor", () => {
    expect(press(INITIAL_RUN_KEYS, "xrp")).toEqual({ state: INITIAL_RUN_KEYS, effects: [] });
    expect(press(INITIAL_RUN_KEYS, "jjx")).toEqual({ state: { selected: "w1.2", confirmStop: false }, effects: [] });
  });
});
