import { describe, expect, it } from "vitest";
import { assignSlots, layoutPanes } from "../../src/ui/pane-layout.js";

describe("layoutPanes", () => {
  it("gives every running agent a pane when they fit", () => {
    expect(layoutPanes(3, 80, 21)).toMatchObject({ columns: 1, panes: 3, listRows: 0, paneHeight: 6 });
  });

  it("keeps room for the compact list when more run than fit", () => {
    const layout = layoutPanes(100, 80, 21);
    expect(layout.panes).toBe(3);
    expect(layout.listRows).toBe(2);
    expect(layout.panes * layout.paneHeight + layout.listRows).toBeLessThanOrEqual(21);
  });

  it("uses several columns on a wide terminal", () => {
    const layout = layoutPanes(100, 200, 47);
    expect(layout.columns).toBe(3);
    expect(layout.panes).toBe(18);
    expect((layout.panes / layout.columns) * layout.paneHeight + layout.listRows).toBeLessThanOrEqual(47);
  });
});

describe("assignSlots", () => {
  it("keeps agents in their panes and gives a finished agent's pane to the next one", () => {
    const first = assignSlots([], ["a", "b", "c", "d"], 3);
    expect(first).toEqual(["a", "b", "c"]);
    expect(assignSlots(first, ["a", "c", "d"], 3)).toEqual(["a", "d", "c"]);
  });
});
