/**
 * Reads a red pointer on a light dial by geometry, with no learned weights: so it reads a meter no
 * model was trained on as well as any other. The pointer is the crop's red pixels; its axis is their
 * principal direction (weighted by how red each is), turned towards the tip, which is the part of the
 * pointer farthest from its centroid (a pointer is a round hub with a tip on one side). Needs a red
 * pointer in a crop upright to the counter (0 at the top).
 */
export interface NeedleReading {
  /** Dial position 0–10 (0 at the top, clockwise). */
  value: number;
  /** Share of the crop that is pointer red. */
  redShare: number;
}

/** Fewer red pixels than this share of the crop: no pointer to read. */
const MIN_RED_SHARE = 0.01;
/** A pointer is one piece: this share of the red pixels must touch each other (scattered noise does not). */
const MIN_IN_ONE_PIECE = 0.7;
/** The red pixels' long axis must be this many times their short one (variance ratio). */
const MIN_ELONGATION = 1.5;

export function readNeedle(rgb: Uint8Array, width: number, height: number): NeedleReading | undefined {
  const n = width * height;
  const redness = new Float32Array(n);
  let peak = 0;
  for (let i = 0; i < n; i++) {
    redness[i] = rgb[3 * i]! - Math.max(rgb[3 * i + 1]!, rgb[3 * i + 2]!);
    peak = Math.max(peak, redness[i]!);
  }
  // relative to the crop's reddest pixel: a dim camera's pointer is a dark, weakly red one
  const threshold = Math.max(20, peak * 0.45);
  const points: [number, number][] = [];
  for (let i = 0; i < n; i++) if (redness[i]! >= threshold) points.push([i % width, Math.floor(i / width)]);
  if (points.length < n * MIN_RED_SHARE || largestBlob(redness, width, height, threshold) < points.length * MIN_IN_ONE_PIECE) return undefined;

  // the tip's side: from the centroid towards the farthest tenth of the red pixels
  const mx = points.reduce((a, p) => a + p[0], 0) / points.length;
  const my = points.reduce((a, p) => a + p[1], 0) / points.length;
  const far = points
    .map(([x, y]) => ({ dx: x - mx, dy: y - my, d: Math.hypot(x - mx, y - my) }))
    .sort((a, b) => b.d - a.d)
    .slice(0, Math.max(3, Math.round(points.length * 0.1)));
  const tip = far.reduce<[number, number]>((a, f) => [a[0] + f.dx, a[1] + f.dy], [0, 0]);

  // the axis: principal direction of the redness above half the threshold (the soft edge counts a little)
  const weightOf = (i: number) => Math.max(0, redness[i]! - threshold / 2);
  let weight = 0;
  let gx = 0;
  let gy = 0;
  for (let i = 0; i < n; i++) {
    const w = weightOf(i);
    weight += w;
    gx += w * (i % width);
    gy += w * Math.floor(i / width);
  }
  [gx, gy] = [gx / weight, gy / weight];
  let cxx = 0;
  let cxy = 0;
  let cyy = 0;
  for (let i = 0; i < n; i++) {
    const [w, dx, dy] = [weightOf(i), (i % width) - gx, Math.floor(i / width) - gy];
    cxx += w * dx * dx;
    cxy += w * dx * dy;
    cyy += w * dy * dy;
  }
  // a pointer is long and narrow; a red cast or a round blob has no axis to read
  const spread = Math.sqrt((cxx - cyy) ** 2 + 4 * cxy * cxy);
  if ((cxx + cyy + spread) / Math.max(1e-9, cxx + cyy - spread) < MIN_ELONGATION) return undefined;
  const theta = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
  let [ax, ay] = [Math.cos(theta), Math.sin(theta)];
  if (ax * tip[0] + ay * tip[1] < 0) [ax, ay] = [-ax, -ay];
  // 0 at the top, clockwise (image y grows downwards)
  const turns = Math.atan2(ax, -ay) / (2 * Math.PI);
  return { value: Math.round((((turns * 10) % 10) + 10) % 10 * 100) / 100, redShare: points.length / n };
}

/** Pixels in the largest 4-connected piece at or above the threshold. */
function largestBlob(redness: Float32Array, width: number, height: number, threshold: number): number {
  const seen = new Uint8Array(redness.length);
  let largest = 0;
  for (let start = 0; start < redness.length; start++) {
    if (seen[start] || redness[start]! < threshold) continue;
    let size = 0;
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      const [x, y] = [i % width, Math.floor(i / width)];
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1]) {
        if (j >= 0 && !seen[j] && redness[j]! >= threshold) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    largest = Math.max(largest, size);
  }
  return largest;
}
