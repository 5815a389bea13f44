import { CounterLayoutSchema, quadProblem, type CounterLayout, type Quad } from '@metertwin/contracts';
import { createMeterWithCamera, type PrismaClient, type SecretBox } from '@metertwin/db';
import { DomainError, type ErrorDetail, type ErrorParams } from '@metertwin/alarms';
import { fetchSnapshot, SnapshotError, withCameraFlash } from '@metertwin/egress';
import { CameraUrlSchema, checkCameraUrl, FlashIntensitySchema } from '@metertwin/meters';
import { assembleValue, evaluateReading, ReadingRulesSchema, withPointers } from '@metertwin/readings';
import type { DigitClassifier, PointerReader } from '@metertwin/recognizer';
import type { DecodedFrame } from '@metertwin/vision';
import sharp from 'sharp';
import { isTimeZone } from '@metertwin/rules';
import { z } from 'zod';
import { orgOutboundPolicy } from './outbound-policy';

// sharp, OpenCV's wasm build and TensorFlow.js must run as plain Node modules, not inside the
// bundle: these imports are left to Node at run time (they resolve through apps/web/node_modules).
const vision = () => import(/* turbopackIgnore: true */ /* webpackIgnore: true */ '@metertwin/vision');
const recognizer = () =>
  import(/* turbopackIgnore: true */ /* webpackIgnore: true */ '@metertwin/recognizer');

/**
 * Onboarding a meter: fetch a first photo from the camera, suggest its counter layout, read it with
 * the committed digit model exactly as the pipeline would, and save meter + camera.
 */

export const SNAPSHOT_TIMEOUT_MS = 10_000;
export const SNAPSHOT_MAX_BYTES = 10 * 1024 * 1024;

const BasicAuthSchema = z.object({ user: z.string().min(1).max(200), password: z.string().max(200) });

export const SnapshotRequestSchema = z.union([
  /** With `flashIntensity`, an ESP32 CameraWebServer's LED is lit for it as for ingest's pulls. */
  z.object({ snapshotUrl: CameraUrlSchema, basicAuth: BasicAuthSchema.optional(), flashIntensity: FlashIntensitySchema.optional() }),
  /** A photo the operator uploads (a pushing camera has no URL to pull), base64. */
  z.object({ image: z.base64().max(Math.ceil((SNAPSHOT_MAX_BYTES * 4) / 3)) }),
]);

/**
 * What stops a step of onboarding, in words for the installer (answered with 422), with a code the
 * page words in the user's language (as a DomainError's) where the words are the platform's, not a camera's.
 */
export class OnboardError extends Error {
  readonly code: string | undefined;
  readonly params: ErrorParams | undefined;

  constructor(message: string, detail?: ErrorDetail) {
    super(message);
    this.code = detail?.code;
    this.params = detail?.params;
  }
}

/** A camera URL that ingest's pulls would refuse is refused when it is saved, not discovered later. */
async function checkSnapshotUrl(prisma: PrismaClient, orgId: string, url: string): Promise<void> {
  try {
    await checkCameraUrl(await orgOutboundPolicy(prisma, orgId), url, 'camera.snapshotUrl');
  } catch (error) {
    if (error instanceof DomainError) throw new OnboardError(error.message, error.code ? { code: error.code, params: error.params } : undefined);
    throw error;
  }
}

/**
 * One snapshot from the camera the installer names, through the organization's outbound policy
 * (its device networks and the deployment's allow-list: never the server's own network). With
 * `flashIntensity` (the camera's flash: the installer's in onboarding, a stored camera's for a new
 * reference) the ESP32 CameraWebServer's LED is lit for it as for ingest's pulls, so that the
 * reference looks like the photos it is matched with.
 */
export async function takeSnapshot(
  prisma: PrismaClient,
  orgId: string,
  url: string,
  basicAuth?: { user: string; password: string },
  options: { timeoutMs?: number; maxBytes?: number; flashIntensity?: number | null } = {},
): Promise<Buffer> {
  const policy = await orgOutboundPolicy(prisma, orgId);
  const timeoutMs = options.timeoutMs ?? SNAPSHOT_TIMEOUT_MS;
  const snapshot = () => fetchSnapshot({ url, basicAuth, policy, timeoutMs, maxBytes: options.maxBytes ?? SNAPSHOT_MAX_BYTES });
  try {
    if (!options.flashIntensity) return await snapshot();
    // a flash the camera does not take costs the photo nothing (ingest's pulls record why)
    return (await withCameraFlash({ snapshotUrl: url, intensity: options.flashIntensity, policy, timeoutMs, basicAuth }, snapshot)).result;
  } catch (error) {
    if (error instanceof SnapshotError) throw new OnboardError(error.message);
    throw error;
  }
}

export interface Snapshot {
  /** JPEG/PNG bytes as the camera sent them. */
  image: Buffer;
  width: number;
  height: number;
  /**
   * The counter found without a layout, or null when detection found none. A turned window (angleDeg
   * beyond TURNED_DEG) is offered as its four corners (layout.windowQuad) with the drum count.
   */
  suggestion: { layout: CounterLayout; confidence: number; angleDeg: number } | null;
}

/** Below this angle upright drum boxes hold the drums well; above it the window is offered as a quad (as `metertwin read` does). */
const TURNED_DEG = 5;

/** Checks the bytes are an image and suggests the counter layout (@metertwin/vision detectCounter). */
export async function analyseSnapshot(image: Buffer): Promise<Snapshot> {
  const { decodeFrame, detectCounter, quadLayout } = await vision();
  let frame;
  try {
    frame = await decodeFrame(image);
  } catch (error) {
    throw new OnboardError(`not a usable photo: ${(error as Error).message}`, { code: 'photo-unusable' });
  }
  const detection = await detectCounter(frame);
  // a window found turned is offered as its corners, unless they do not make a layout (e.g. a corner
  // just off the photo): then as its upright boxes, for the installer to correct
  const turned =
    detection &&
    Math.abs(detection.angleDeg) >= TURNED_DEG &&
    !quadProblem(detection.quad, frame, detection.digits.length);
  return {
    image,
    width: frame.width,
    height: frame.height,
    suggestion: detection
      ? {
          layout: turned
            ? quadLayout({ windowQuad: detection.quad, drums: detection.digits.length }, frame)
            : {
                v: 1,
                reference: { width: frame.width, height: frame.height },
                window: detection.window,
                digits: detection.digits,
                pointers: [],
              },
          confidence: detection.confidence,
          angleDeg: detection.angleDeg,
        }
      : null,
  };
}

// The digit model is loaded once per process (a few hundred ms) and kept; so is the pointer model,
// loaded on the first preview with dials.
const g = globalThis as typeof globalThis & {
  __mtClassifier?: Promise<DigitClassifier>;
  __mtPointers?: Promise<PointerReader>;
};
function classifier(): Promise<DigitClassifier> {
  g.__mtClassifier ??= recognizer()
    .then(({ loadDigitClassifier }) => loadDigitClassifier())
    .catch((error: unknown) => {
      g.__mtClassifier = undefined;
      throw error;
    });
  return g.__mtClassifier;
}

function pointerReader(): Promise<PointerReader> {
  g.__mtPointers ??= recognizer().then(({ PointerReader }) => new PointerReader(undefined));
  return g.__mtPointers;
}

/** The onboarding snapshot sent back by the wizard, base64 (the server keeps no state between steps). */
const SnapshotImageSchema = z.base64().max(Math.ceil((SNAPSHOT_MAX_BYTES * 4) / 3));

export const PreviewRequestSchema = z.object({
  image: SnapshotImageSchema,
  layout: CounterLayoutSchema,
  decimals: z.int().min(0).max(12),
  readingRules: ReadingRulesSchema.prefault({}),
});

type Wheel = { value: number; confidence: number; box: [number, number, number, number] };

export interface FirstReading {
  value: string;
  status: string;
  confidence: number;
  reason: string | null;
  digits: Wheel[];
  /** Each pointer dial's position (0–10), read below the last drum as recognize reads it. */
  dials: Wheel[];
  /** A quad layout's window as the drums are cut from it (see rectifiedStrip); null for upright boxes. */
  strip: RectifiedStrip | null;
}

/** The window quad rectified to a level strip: a PNG data URL, its size and each drum's cell in it. */
export interface RectifiedStrip {
  image: string;
  width: number;
  height: number;
  cells: [number, number, number, number][];
}

/**
 * Crops the drums (and dials) at the layout and reads them as recognize would for a meter's first
 * reading; a quad layout also gets its rectified strip, so the installer sees what the drums are cut from.
 */
export async function readFirst(
  image: Buffer,
  layout: CounterLayout,
  decimals: number,
  rules: z.output<typeof ReadingRulesSchema>,
): Promise<FirstReading> {
  if (decimals > layout.digits.length) throw new OnboardError('more decimals than digit boxes', { code: 'decimals-exceed-boxes', params: { field: 'decimals' } });
  const { decodeFrame, processFrame } = await vision();
  const frame = await decodeFrame(image);
  const settled = await settledLayout(layout);
  const { crops } = await processFrame(frame, settled);
  const drums = crops.filter((c) => c.kind === 'digit');
  const dialCrops = crops.filter((c) => c.kind === 'pointer');
  const results = await (await classifier()).classify(drums.map((c) => c.image));
  const dials = dialCrops.length ? await (await pointerReader()).read(dialCrops.map((c) => c.image)) : [];
  // without the pointer model the drums alone give the (coarser) value, as in recognize
  if (dials instanceof Error) console.warn(`onboarding preview: pointer dials not read: ${dials.message}`);
  const dialResults = dials instanceof Error ? [] : dials;
  const shape = withPointers({ digits: drums.length, decimals }, dialResults.length);
  const wheels = [...results, ...dialResults];
  const evaluation = evaluateReading({
    drums: wheels,
    assembled: assembleValue(wheels, shape, rules.drive),
    shape,
    history: { previous: null, rejected: [] },
    takenAt: new Date(),
    rules,
  });
  return {
    value: evaluation.value,
    status: evaluation.status,
    confidence: evaluation.confidence,
    reason: evaluation.reason,
    digits: results.map((r, i) => ({ value: r.value, confidence: r.confidence, box: drums[i]!.box })),
    dials: dialResults.map((r, i) => ({ value: r.value, confidence: r.confidence, box: dialCrops[i]!.box })),
    strip: settled.windowQuad ? await rectifiedStrip(frame, settled.windowQuad, settled.digits.length) : null,
  };
}

/** The snapshot is the reference: its quad is rectified as preprocess cuts it (packages/vision rectifyCounter). */
async function rectifiedStrip(frame: DecodedFrame, quad: Quad, drums: number): Promise<RectifiedStrip> {
  const { rectifyCounter } = await vision();
  const strip = await rectifyCounter(frame, quad, drums);
  const { width, height } = strip.frame;
  const png = await sharp(strip.frame.data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  return { image: `data:image/png;base64,${png.toString('base64')}`, width, height, cells: strip.cells };
}

/** A moved camera's new reference: the layout drawn on the photo it was drawn on (alignLayout cuts the marks). */
export const ReferenceRequestSchema = z.object({ image: SnapshotImageSchema, layout: CounterLayoutSchema });

export const NewMeterRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'the meter needs a name').max(120),
    location: z.string().trim().max(200).default(''),
    group: z
      .string()
      .trim()
      .max(120)
      .transform((g) => g || null)
      .nullable()
      .default(null),
    kind: z.enum(['water', 'hot_water', 'heat', 'gas']).default('water'),
    unit: z.string().trim().min(1).max(20).default('m3'),
    decimals: z.int().min(0).max(12),
    timeZone: z
      .string()
      .refine(isTimeZone, { message: 'not an IANA time zone (e.g. Europe/Berlin)', params: { code: 'not-a-time-zone' } })
      .default('UTC'),
    readingRules: ReadingRulesSchema.prefault({}),
    layout: CounterLayoutSchema,
    /** The snapshot the layout was drawn on: the alignment marks are cut from it. */
    image: SnapshotImageSchema,
    camera: z.discriminatedUnion('mode', [
      z.object({
        mode: z.literal('pull'),
        snapshotUrl: CameraUrlSchema,
        basicAuth: BasicAuthSchema.optional(),
        pullIntervalSec: z.int().min(5).max(86_400).default(60),
        flashIntensity: FlashIntensitySchema.optional(),
      }),
      z.object({ mode: z.literal('push') }),
    ]),
  })
  .refine((m) => m.decimals <= m.layout.digits.length, {
    message: 'more decimals than digit boxes',
    path: ['decimals'],
    params: { code: 'decimals-exceed-boxes' },
  });
export type NewMeterRequest = z.output<typeof NewMeterRequestSchema>;

/**
 * A layout that marks its window as a quad (a turned or tilted counter) gets its drum and dial bounds
 * from the quad: the editor sends the corners and the drum count (`digits.length`), and the boxes
 * drawn later always agree with the quad the drums are cut from.
 */
async function settledLayout(layout: CounterLayout): Promise<CounterLayout> {
  if (!layout.windowQuad) return layout;
  const { quadLayout } = await vision();
  const { windowQuad, dials, reference, alignment } = layout;
  return {
    ...quadLayout({ windowQuad, drums: layout.digits.length, dials }, reference),
    ...(alignment ? { alignment } : {}),
  };
}

/**
 * The layout's alignment marks, cut from the onboarding snapshot around the operator's final boxes,
 * so preprocess registers every later frame to this photo (a moved or shaken camera still crops the
 * drums). Any alignment the client sent is replaced. A photo without texture around the window gets
 * no marks: the layout still works (boxes are then only scaled to the frame), and `note` says so.
 */
export async function alignLayout(
  image: Buffer,
  layout: CounterLayout,
): Promise<{ layout: CounterLayout; note: string | null }> {
  const { buildAlignment, decodeFrame } = await vision();
  let frame;
  try {
    frame = await decodeFrame(image);
  } catch (error) {
    throw new OnboardError(`not a usable photo: ${(error as Error).message}`, { code: 'photo-unusable' });
  }
  const { width, height } = layout.reference;
  if (frame.width !== width || frame.height !== height) {
    throw new OnboardError(`the photo is ${frame.width}×${frame.height} but the layout was drawn on ${width}×${height}`, {
      code: 'photo-size-mismatch',
      params: { width: frame.width, height: frame.height, layoutWidth: width, layoutHeight: height },
    });
  }
  const boxes: CounterLayout = { ...(await settledLayout(layout)) };
  delete boxes.alignment;
  try {
    return { layout: { ...boxes, alignment: await buildAlignment(frame, boxes) }, note: null };
  } catch (error) {
    return {
      layout: boxes,
      note: `saved without alignment marks (${(error as Error).message}): frames are not registered to this photo, so a camera that moves crops in the wrong place`,
    };
  }
}

/**
 * Saves the meter and its camera, its layout with alignment marks from the snapshot (alignLayout).
 * A pulled camera gets a snapshot URL and interval (ingest's schedule sync picks it up within
 * SCHEDULE_SYNC_MS); every camera gets a device token, shown once.
 */
export async function saveMeter(
  prisma: PrismaClient,
  secrets: SecretBox,
  orgId: string,
  request: NewMeterRequest,
): Promise<{ meterId: string; deviceToken: string; alignmentMarks: number; note: string | null }> {
  if (request.camera.mode === 'pull') await checkSnapshotUrl(prisma, orgId, request.camera.snapshotUrl);
  const { layout, note } = await alignLayout(Buffer.from(request.image, 'base64'), request.layout);
  if (note) console.warn(`onboarding ${JSON.stringify(request.name)}: ${note}`);
  // One create: the meter with all its settings and its camera, or nothing.
  const { meterId, deviceToken } = await createMeterWithCamera(
    prisma,
    {
      orgId,
      name: request.name,
      location: request.location,
      kind: request.kind,
      unit: request.unit,
      digits: request.layout.digits.length,
      decimals: request.decimals,
      layout,
      // A new camera's meter is learned first: the base model has never seen its digits.
      trust: 'learning',
      group: request.group,
      timeZone: request.timeZone,
      readingRules: request.readingRules,
    },
    request.camera.mode === 'pull'
      ? {
          snapshotUrl: request.camera.snapshotUrl,
          pullIntervalSec: request.camera.pullIntervalSec,
          flashIntensity: request.camera.flashIntensity,
          basicAuth: request.camera.basicAuth,
        }
      : {},
    secrets,
  );
  return { meterId, deviceToken, alignmentMarks: layout.alignment?.marks.length ?? 0, note };
}
