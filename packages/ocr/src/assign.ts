import type { Box, OcrDigit } from './provider.js';

/** A recognized character and its box, as text detection returns them. */
export interface OcrSymbol {
  text: string;
  box: Box;
  /** 0–1; TEXT_DETECTION words carry none, then the caller passes a neutral value. */
  confidence: number;
}

/**
 * Puts recognized digit characters on the drums by their boxes: a character belongs to the drum its
 * horizontal centre falls in (vertically it must overlap the drum). A drum with no character, or with
 * two different ones, gets `digit: null` — the second opinion says nothing rather than guess.
 */
export function assignToDrums(symbols: OcrSymbol[], drums: Box[]): OcrDigit[] {
  const found = drums.map(() => [] as OcrSymbol[]);
  for (const symbol of symbols) {
    if (!/^[0-9]$/.test(symbol.text)) continue;
    const [x, y, w, h] = symbol.box;
    const cx = x + w / 2;
    const index = drums.findIndex(
      ([dx, dy, dw, dh]) => cx >= dx && cx < dx + dw && y < dy + dh && y + h > dy,
    );
    if (index >= 0) found[index]!.push(symbol);
  }
  return found.map((matches, index) => {
    const distinct = new Set(matches.map((m) => m.text));
    if (distinct.size !== 1) return { index, digit: null, confidence: 0, box: null };
    const best = matches.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    return { index, digit: Number(best.text), confidence: best.confidence, box: best.box };
  });
}

/** The box around a polygon's vertices (missing coordinates are 0, as the API omits zeros). */
export function polygonBox(
  vertices: Array<{ x?: number | null; y?: number | null }> | null | undefined,
): Box {
  const xs = (vertices ?? []).map((v) => v.x ?? 0);
  const ys = (vertices ?? []).map((v) => v.y ?? 0);
  if (xs.length === 0) return [0, 0, 0, 0];
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return [x, y, Math.max(...xs) - x, Math.max(...ys) - y];
}
