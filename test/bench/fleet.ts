import { composeMeter, randomMount } from '@metertwin/composer';

export interface Frame {
  jpeg: Buffer;
  /** What the drums show, as a stored reading's value: "01234.567". */
  display: string;
  takenAt: Date;
}

export interface ComposedFleetMeter {
  layout: Awaited<ReturnType<typeof composeMeter>>['layout'];
  frames: Frame[];
}

/** Water through each simulated meter between two frames a minute apart (0.72 m³/h): whole litres, so the drums show the value exactly. */
const STEP = 0.012;
const FRAME_GAP_MS = 60_000;

/**
 * Composed photos (truth known) of `meters` fixed cameras, `framesPerMeter` each, one a minute apart and
 * rising, all in the past hour(s) so that X-Taken-At is valid. Every camera keeps one mount, as a real one.
 */
export async function composeFleet(meters: number, framesPerMeter: number, seed: number): Promise<ComposedFleetMeter[]> {
  const firstTaken = Date.now() - (framesPerMeter + 5) * FRAME_GAP_MS;
  const fleet: ComposedFleetMeter[] = [];
  for (let m = 0; m < meters; m++) {
    const cameraSeed = seed * 1_000 + m;
    const mount = randomMount(cameraSeed, 0.2);
    const start = 100 + ((m * 7_919) % 90_000) + 0.25;
    const frames: Frame[] = [];
    let layout: ComposedFleetMeter['layout'] | undefined;
    for (let f = 0; f < framesPerMeter; f++) {
      const photo = await composeMeter({ value: (start + f * STEP).toFixed(3), digits: 5, decimals: 3, seed: cameraSeed, mount, effects: 0.2 });
      layout ??= photo.layout;
      frames.push({ jpeg: photo.jpeg, display: photo.truth.display, takenAt: new Date(firstTaken + f * FRAME_GAP_MS) });
    }
    fleet.push({ layout: layout!, frames });
  }
  return fleet;
}
