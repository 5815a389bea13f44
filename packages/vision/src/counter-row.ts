import { candidateRows, type Glyph, type GlyphRow } from './glyph-row.js';

/**
 * Of the glyph rows on a meter's face, the one most like a counter's drums rather than printed
 * digits (the serial number, type marks, a dial's scale): a row of digits like the counter's, and
 * often with more of them. Each row's own score (glyphs, evenness) is weighed by three cues that hold
 * for drums in general, not for one meter:
 * - spacing: each drum shows its digit in its own cell, so drums stand about a glyph height or more
 *   apart; printed text runs tighter (pitch ≈ 0.55–0.75 of its height);
 * - clean gaps: nothing glyph-like between two drums; a row seeded on every other glyph of a text
 *   line has the skipped glyphs between its members;
 * - size: the counter is the meter's largest row of digits;
 * - drums without a whole glyph: `extend` (extendRow) adds the drums at the row's ends that look like
 *   its drums but are caught between two digits; each counts as half a glyph of evidence (a row of
 *   glyph-like texture or print has no such neighbours).
 * Returns the best row as extended, and `rival`: the best score of a row elsewhere on the face (its
 * centre off this row's drums) as a share of this row's, 0–1: near 1, another row of digits (a serial
 * number) is about as counter-like, and the choice is unsure.
 */
export function counterRow(glyphs: Glyph[], extend: (row: GlyphRow) => GlyphRow): { row: GlyphRow; rival: number } | undefined {
  const rows = candidateRows(glyphs);
  const tallest = Math.max(0, ...rows.map((r) => r.height));
  const scored: { row: GlyphRow; score: number }[] = [];
  for (const row of rows) {
    const spacing = Math.max(0, Math.min(1, (row.pitch / row.height - 0.7) / 0.3));
    const clean = 1 / (1 + (2 * between(glyphs, row)) / row.glyphs.length);
    const score = row.score * spacing * clean * (row.height / tallest);
    if (score <= 0) continue;
    const extended = extend(row);
    const drums = (row.to - row.from) / row.pitch + 1;
    const added = (extended.to - extended.from - (row.to - row.from)) / row.pitch;
    const evidence = row.glyphs.length + row.glyphs.length / drums;
    scored.push({ row: extended, score: score * ((evidence + added / 2) / evidence) });
  }
  const best = scored.reduce<(typeof scored)[number] | undefined>((a, b) => (!a || b.score > a.score ? b : a), undefined);
  if (!best) return undefined;
  const rival = Math.max(0, ...scored.filter((r) => !covers(best.row, r.row)).map((r) => r.score));
  return { row: best.row, rival: rival / best.score };
}

/** Whether `other`'s centre lies on `row`'s drums: within its span and half a glyph height of its line. */
function covers(row: GlyphRow, other: GlyphRow): boolean {
  const mid = (other.from + other.to) / 2;
  const x = other.origin[0] + mid * other.dir[0] - row.origin[0];
  const y = other.origin[1] + mid * other.dir[1] - row.origin[1];
  const along = x * row.dir[0] + y * row.dir[1];
  const off = -x * row.dir[1] + y * row.dir[0];
  return along >= row.from - row.pitch / 2 && along <= row.to + row.pitch / 2 && Math.abs(off) <= row.height / 2;
}

/** Glyphs of the row's height on its line, within its span, that stand between two drum positions. */
function between(glyphs: Glyph[], row: GlyphRow): number {
  let count = 0;
  for (const g of glyphs) {
    if (row.glyphs.includes(g) || g.h > row.height * 1.35 || g.h < row.height / 1.35) continue;
    const along = (g.cx - row.origin[0]) * row.dir[0] + (g.cy - row.origin[1]) * row.dir[1];
    const off = -(g.cx - row.origin[0]) * row.dir[1] + (g.cy - row.origin[1]) * row.dir[0];
    if (Math.abs(off) > row.height * 0.3 || along < row.from - row.pitch * 0.75 || along > row.to + row.pitch * 0.75) continue;
    const slot = (along - row.from) / row.pitch;
    if (Math.abs(slot - Math.round(slot)) > 0.3) count++;
  }
  return count;
}
