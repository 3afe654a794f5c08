// Text whose width is its length: one table shared by the UI's own fitting (text-fit.ts) and the
// string-width the bundle gives Ink (fast-string-width.ts).

/**
 * Characters that always take one column and never join a neighbour: printable ASCII, Latin-1 and
 * Latin Extended (not the soft hyphen U+00AD, which takes none), general punctuation (– — ‘ ’ “ ” •
 * …), arrows and box drawing. The live view's own separators ("·", "…", "↑", "─") are among them,
 * so its lines take this path instead of string-width's grapheme segmentation, which on every
 * frame cost more than drawing the panes (issue 13, benchmark 4).
 */
export const NARROW_TEXT = /^[\x20-\x7e\xa0-\xac\xae-\u02ff\u2010-\u2027\u2190-\u21ff\u2500-\u259f]*$/;
