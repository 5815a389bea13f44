import type { DecodedFrame } from './crop.js';
import { matOf, opencv, withMats } from './opencv.js';

/** Below this local range (grey levels) a neighbourhood is plain drum, not stroke plus drum: not stretched further. */
const MIN_LOCAL_RANGE = 24;
/** How far (grey levels) a drum's lifted dark envelope must stand above its neighbours' to count as glare. */
export const GLARE_LIFT = 60;

/**
 * Flattens glare spots out of the digit patches of one frame. Glare adds light that fades out
 * smoothly (pixel ≈ a·255 + (1−a)·ink): it lifts a neighbourhood's darkest pixels and squeezes the
 * stroke contrast above them. A drum whose dark envelope stands GLARE_LIFT above the median drum's
 * (or that the quality step already flagged, `flagged[i]`) is stretched pixel by pixel between its
 * own local envelopes, which gives back the stroke contrast wherever some survived; a whole-patch
 * stretch cannot, it is set by the unlit part. The envelope window is wider than a stroke, so thin
 * strokes of either polarity (white-on-black drums too) do not count as glare. Other patches are
 * returned as they are: stretching a clean drum locally would flatten its real shading.
 */
export async function reduceGlare(patches: DecodedFrame[], flagged: boolean[] = []): Promise<DecodedFrame[]> {
  if (patches.length === 0) return patches;
  const { cv } = await opencv();
  const dark = patches.map((p) => envelopeOf(cv, p, 'erode'));
  const lifts = dark.map(liftOf);
  const median = [...lifts].sort((a, b) => a - b)[Math.floor(lifts.length / 2)]!;
  // the bright envelope only for the patches stretched (most frames: none)
  return patches.map((p, i) => (flagged[i] || lifts[i]! - median > GLARE_LIFT ? stretchLocally(p, dark[i]!, envelopeOf(cv, p, 'dilate')) : p));
}

/** 90th percentile of a dark envelope: high where light was added on top of the ink or the drum. */
function liftOf(lo: Uint8Array): number {
  const sorted = Uint8Array.from(lo).sort();
  return sorted[Math.floor(sorted.length * 0.9)]!;
}

/** The patch's grey dark ('erode') or bright ('dilate') envelope: over about half a drum, smoothed. */
function envelopeOf(cv: Awaited<ReturnType<typeof opencv>>['cv'], patch: DecodedFrame, op: 'erode' | 'dilate'): Uint8Array {
  const { width, height } = patch;
  const k = Math.max(3, Math.round(Math.min(width, height) * 0.5) | 1);
  return withMats((keep) => {
    const rgb = keep(matOf(cv, patch.data, width, height, 3));
    const grey = keep(new cv.Mat());
    cv.cvtColor(rgb, grey, cv.COLOR_RGB2GRAY);
    const kernel = keep(cv.Mat.ones(k, k, cv.CV_8U));
    const anchor = new cv.Point(-1, -1);
    const m = keep(new cv.Mat());
    cv[op](grey, m, kernel, anchor, 1, cv.BORDER_REPLICATE);
    cv.blur(m, m, new cv.Size(k, k), anchor, cv.BORDER_REPLICATE);
    return Uint8Array.from(m.data);
  });
}

function stretchLocally(patch: DecodedFrame, lo: Uint8Array, hi: Uint8Array): DecodedFrame {
  const out = Buffer.alloc(patch.data.length);
  for (let i = 0; i < patch.width * patch.height; i++) {
    const base = lo[i]!;
    const range = Math.max(MIN_LOCAL_RANGE, hi[i]! - base);
    for (let c = 0; c < 3; c++) {
      const v = ((patch.data[i * 3 + c]! - base) * 255) / range;
      out[i * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  return { data: out, width: patch.width, height: patch.height, channels: 3 };
}
