// How the run phase fills the terminal: panes in a grid (several columns on a wide terminal), as
// many as fit in the rows left, and a compact list for the rest. Everything has a fixed height, so
// the live area never grows past the screen: Ink redraws a frame taller than the terminal by
// clearing the whole screen, which is the flicker this avoids.

export interface PaneLayout {
  readonly columns: number;
  readonly paneWidth: number;
  /** Rows one pane takes, border included. */
  readonly paneHeight: number;
  /** Lines of streamed text inside a pane. */
  readonly textLines: number;
  /** How many panes are drawn (at most the number running). */
  readonly panes: number;
  /** Rows for the compact list of the agents without a pane (0 when all have one). */
  readonly listRows: number;
}

export const MIN_PANE_WIDTH = 56;
/** Border (2), title line, tool line. */
const PANE_CHROME = 4;
const LIST_ROWS = 2;

/** Lays out `running` panes in `width` × `height` cells. */
export function layoutPanes(running: number, width: number, height: number): PaneLayout {
  const columns = Math.max(1, Math.min(Math.floor(width / MIN_PANE_WIDTH), Math.max(1, running)));
  const paneWidth = Math.floor(width / columns);
  const textLines = height >= 40 ? 3 : 2;
  const paneHeight = PANE_CHROME + textLines;
  const fit = (rows: number) => columns * Math.max(0, Math.floor(rows / paneHeight));
  if (running <= fit(height)) return { columns, paneWidth, paneHeight, textLines, panes: running, listRows: 0 };
  return { columns, paneWidth, paneHeight, textLines, panes: Math.min(running, fit(height - LIST_ROWS)), listRows: LIST_ROWS };
}

/**
 * Keeps each agent in the pane it started in: a finished agent's slot goes to the next one waiting,
 * and the others do not move (a grid that reshuffles on every finish is hard to follow).
 */
export function assignSlots(previous: readonly (string | undefined)[], running: readonly string[], capacity: number): (string | undefined)[] {
  const alive = new Set(running);
  const slots = Array.from({ length: capacity }, (_, i) => {
    const id = previous[i];
    return id !== undefined && alive.has(id) ? id : undefined;
  });
  const placed = new Set(slots.filter((id): id is string => id !== undefined));
  for (const id of running) {
    if (placed.has(id)) continue;
    const free = slots.indexOf(undefined);
    if (free < 0) break;
    slots[free] = id;
    placed.add(id);
  }
  return slots;
}
