import type { CounterLayout } from '@metertwin/contracts';
import { buildAlignment } from './align.js';
import { decodeFrame, type DecodedFrame } from './crop.js';
import { detectCounter } from './detect.js';

/**
 * A layout suggested for a new meter from one photo: the detected window and drums, plus alignment
 * marks picked automatically on this photo (the most textured squares around the window that hold
 * no digit), so later frames are registered to it. For onboarding: show it, let a person correct it.
 */
export async function suggestLayout(input: Uint8Array | DecodedFrame): Promise<{ layout: CounterLayout; confidence: number } | undefined> {
  const frame = input instanceof Uint8Array ? await decodeFrame(input) : input;
  const detection = await detectCounter(frame);
  if (!detection) return undefined;
  const layout: CounterLayout = {
    v: 1,
    reference: { width: frame.width, height: frame.height },
    window: detection.window,
    digits: detection.digits,
    pointers: [],
  };
  try {
    layout.alignment = await buildAlignment(frame, layout);
  } catch {
    // a photo without texture around the window: the layout still works, only without registration
  }
  return { layout, confidence: detection.confidence };
}
