import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isImageFile } from '@metertwin/recognizer/image';
import { labelFromFileName, loadDigitCrops, loadPointerCrops, type LabeledCrop } from '@metertwin/sample-data';
import { COMPOSE_STYLES, composeMeter, createRng, randomMount } from '@metertwin/composer';
import type { Command } from '../command.js';

const HELP = `usage: metertwin compose [--digits DIR] [--pointers DIR] --count N --seed S --out DIR
         [--look day|infrared|mixed] [--effects 0-1] [--jitter 0-1] [--style D+d[+p]] [--drive jump|continuous|mixed]
         [--rotate DEG | --rotate random] [--tilt X,Y] [--white-on-black]

Composes N test meter images (labeled COMPOSED) from real crops whose file names carry their label
(3.4_anything.jpg, .png or .bmp). Crops of one sub-folder are treated as one meter (one look per image).
Default crops: @metertwin/sample-data. Writes NNNN.jpg, NNNN.meter.json (its CounterLayout with the
dial boxes and the counter window as "windowQuad": four corners TL, TR, BR, BL in reading order, plus
"decimals" and "readingRules": {"drive"}: what \`read --meter\` needs to print the value shown) and
truth.jsonl (one JSON object per image). Same arguments and seed => identical files.
  --drive jump    how the drums turn: jump (while the drum to the right passes 9→0), continuous (a
                  tenth of the right neighbour's turn) or mixed (either, per image)
  --style 5+3     5 black drums + 3 red decimal drums (+p pointer dials, e.g. 5+0+4);
                  default: a mix of 4–8 digit styles
  --effects 0.25  camera effect strength (mount, blur, brightness, noise, JPEG quality)
  --jitter 0      per-frame shake the layout does not know about
  --rotate 35     the camera turned: the counter runs at 35° across the frame (random: -180..180°
                  per image); the layout's windowQuad follows it
  --tilt 0.08,0   perspective: the right (bottom) edge looks 8 % (0 %) larger than the left (top)
  --white-on-black  every drum white digits on black, decimals too (default: red decimal drums)`;


async function scanCrops(dir: string): Promise<LabeledCrop[]> {
  const root = path.resolve(dir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const crops: LabeledCrop[] = [];
  for (const e of entries) {
    if (!e.isFile() || !isImageFile(e.name)) continue;
    const value = labelFromFileName(e.name);
    if (value === undefined) continue;
    const folder = path.relative(root, e.parentPath);
    crops.push({ file: path.join(e.parentPath, e.name), value, meter: folder || path.basename(root) });
  }
  crops.sort((a, b) => a.file.localeCompare(b.file));
  if (crops.length === 0) throw new Error(`no labeled crops (like 3.4_name.jpg) under ${dir}`);
  return crops;
}

function parseStyle(style: string): [number, number, number] {
  const m = /^(\d+)\+(\d+)(?:\+(\d+))?$/.exec(style);
  if (!m) throw new Error(`--style must look like 5+3 or 5+0+4, got "${style}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function parseRotation(rotate: string | undefined): number | 'random' | undefined {
  if (rotate === undefined || rotate === 'random') return rotate;
  const deg = Number(rotate);
  if (!Number.isFinite(deg) || Math.abs(deg) > 360) throw new Error(`--rotate must be degrees (-360..360) or "random", got "${rotate}"`);
  return deg;
}

function parseTilt(tilt: string | undefined): [number, number] | undefined {
  if (tilt === undefined) return undefined;
  const parts = tilt.split(',').map(Number);
  if (parts.length !== 2 || parts.some((v) => !Number.isFinite(v) || Math.abs(v) > 0.3)) throw new Error(`--tilt must be X,Y with each within ±0.3, got "${tilt}"`);
  return [parts[0]!, parts[1]!];
}

function randomReading(rng: () => number, places: number): string {
  let s = '';
  for (let i = 0; i < places; i++) s += String(Math.floor(rng() * 10));
  return s;
}

export const command: Command = {
  summary: 'compose test meter images (COMPOSED) from real labeled digit crops',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        digits: { type: 'string' },
        pointers: { type: 'string' },
        count: { type: 'string', default: '10' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string' },
        look: { type: 'string', default: 'mixed' },
        effects: { type: 'string', default: '0.25' },
        jitter: { type: 'string', default: '0' },
        style: { type: 'string' },
        drive: { type: 'string', default: 'jump' },
        rotate: { type: 'string' },
        tilt: { type: 'string' },
        'white-on-black': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help || !values.out) {
      process.stderr.write(`${HELP}\n`);
      process.exitCode = values.help ? 0 : 2;
      return;
    }
    const count = Number(values.count);
    const seed = Number(values.seed);
    const effects = Number(values.effects);
    const jitter = Number(values.jitter);
    if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');
    if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
    if (!['day', 'infrared', 'mixed'].includes(values.look)) throw new Error('--look must be day, infrared or mixed');
    if (!['jump', 'continuous', 'mixed'].includes(values.drive)) throw new Error('--drive must be jump, continuous or mixed');
    const digitRoot = values.digits ? path.resolve(values.digits) : undefined;
    const pointerRoot = values.pointers ? path.resolve(values.pointers) : undefined;
    const digitCrops = digitRoot ? await scanCrops(digitRoot) : loadDigitCrops();
    const pointerCrops = pointerRoot ? await scanCrops(pointerRoot) : loadPointerCrops();
    const fixedStyle = values.style ? parseStyle(values.style) : undefined;
    const rotation = parseRotation(values.rotate);
    const tilt = parseTilt(values.tilt);
    const rel = (file: string) => {
      for (const root of [digitRoot, pointerRoot]) if (root && file.startsWith(root + path.sep)) return path.relative(root, file);
      return path.basename(file);
    };

    await mkdir(values.out, { recursive: true });
    const rng = createRng(seed);
    const lines: string[] = [];
    const width = Math.max(4, String(count).length);
    for (let i = 0; i < count; i++) {
      const [nDigits, nDecimals, nPointers] = fixedStyle ?? COMPOSE_STYLES[Math.floor(rng() * COMPOSE_STYLES.length)]!;
      const look = values.look === 'mixed' ? (rng() < 0.25 ? 'infrared' : 'day') : (values.look as 'day' | 'infrared');
      // Drawn only when mixed, so that jump (the default) composes the same images as before.
      const drive = values.drive === 'mixed' ? (rng() < 0.5 ? 'jump' : 'continuous') : (values.drive as 'jump' | 'continuous');
      const fracPlaces = nDecimals + nPointers + 1;
      const digitsStr = randomReading(rng, nDigits + fracPlaces);
      const value = `${digitsStr.slice(0, nDigits)}.${digitsStr.slice(nDigits)}`;
      const imageSeed = Math.floor(rng() * 2 ** 31);
      const rotationDeg = rotation === 'random' ? Math.round(rng() * 360 - 180) : rotation;
      // the random mount for the seed (what the image gets without these options), turned and tilted
      const mount = rotationDeg === undefined && !tilt ? undefined : { ...randomMount(imageSeed, effects), ...(rotationDeg === undefined ? {} : { rotationDeg }), ...(tilt ? { tilt } : {}) };
      const { jpeg, truth, layout } = await composeMeter({
        value,
        digits: nDigits,
        decimals: nDecimals,
        pointers: nPointers,
        seed: imageSeed,
        look,
        effects,
        jitter,
        drive,
        digitCrops,
        pointerCrops,
        ...(mount ? { mount } : {}),
        whiteOnBlack: values['white-on-black'],
      });
      const name = String(i + 1).padStart(width, '0');
      await writeFile(path.join(values.out, `${name}.jpg`), jpeg);
      // The meter file `read --meter` takes: the layout (drum and dial boxes) and how many drums are decimals.
      const meterFile = { ...layout, decimals: nDecimals, readingRules: { drive } };
      await writeFile(path.join(values.out, `${name}.meter.json`), `${JSON.stringify(meterFile, null, 2)}\n`);
      lines.push(
        JSON.stringify({
          file: `${name}.jpg`,
          layout: `${name}.meter.json`,
          composed: true,
          value: truth.value,
          display: truth.display,
          digits: truth.digits,
          pointers: truth.pointers,
          marks: truth.marks,
          style: `${nDigits}+${nDecimals}+${nPointers}`,
          look,
          drive,
          meter: truth.meter,
          seed: imageSeed,
          labels: truth.wheels.map((w) => w.label),
          crops: truth.wheels.map((w) => rel(w.file)),
          mount: truth.mount,
          effects: truth.effects,
        }),
      );
    }
    await writeFile(path.join(values.out, 'truth.jsonl'), `${lines.join('\n')}\n`);
    process.stderr.write(`composed ${count} meter image(s) into ${values.out} (labeled COMPOSED)\n`);
  },
};
