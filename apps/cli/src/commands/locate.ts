import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ImageRejectedError, detectCounter, locateWithLayout } from '@metertwin/vision';
import type { Command } from '../command.js';
import { loadMeterFile, MeterFileError } from '../meter-file.js';

const HELP = `usage: metertwin locate IMAGE [--meter meter.json [--reference PHOTO]]

Prints JSON: image size, counter window, digit and pointer boxes (in IMAGE pixels) and quality
(brightness, contrast, sharpness of the window, a 0-1 score and reasons: too-dark, too-bright,
low-contrast, blurred, glare, occluded, not-aligned). With --meter the frame is registered to the
meter's reference through the layout's alignment marks ("registration": aligned with residual,
matched marks and camera motion, or not-aligned with a reason; "no-marks" for a layout without
marks, whose boxes are only scaled to the image). meter.json is a CounterLayout (or an object holding
one under "layout"), or a counter marked on IMAGE as a quadrilateral: {"windowQuad": [[x,y] TL, TR,
BR, BL in reading order], "drums": N, "decimals": D, "dials": [[cx,cy,r], …]}; a quad layout adds
"counter": {quad, drums (each drum's cell), dials} in IMAGE pixels. An invalid meter file exits 2.
--reference PHOTO: the quad was marked on PHOTO, and IMAGE is registered to it (see read --help).
Without --meter the counter window is detected
at any angle and split into drums ("source":"detected", with a 0-1 confidence, "angleDeg" -90..90
and "quad", the drum row read left to right on the photo: a counter turned beyond 90° reads the
other way, which read settles with the digit model); exit 2 when none is found, exit 1 when the
image is rejected.`;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export const command: Command = {
  summary: 'show where the counter and digits are in an image (JSON)',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { meter: { type: 'string' }, reference: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    const image = positionals[0];
    if (values.help || !image) {
      process.stderr.write(`${HELP}\n`);
      process.exitCode = values.help ? 0 : 2;
      return;
    }
    if (values.reference && !values.meter) throw new Error('--reference goes with --meter (the photo its quad was marked on)');
    if (!values.meter) {
      try {
        const found = await detectCounter(await readFile(image));
        if (!found) {
          print({ error: 'no counter window found: give the meter layout with --meter meter.json' });
          process.exitCode = 2;
          return;
        }
        print({ file: image, ...found });
      } catch (error) {
        if (!(error instanceof ImageRejectedError)) throw error;
        print({ error: error.message, reason: error.reason });
        process.exitCode = 1;
      }
      return;
    }
    const bytes = await readFile(image);
    try {
      const reference = values.reference ? await readFile(values.reference) : undefined;
      const { layout } = await loadMeterFile(values.meter, bytes, { nested: true, reference });
      print({ file: image, ...(await locateWithLayout(bytes, layout)) });
    } catch (error) {
      if (error instanceof MeterFileError) {
        print({ error: error.message });
        process.exitCode = 2;
        return;
      }
      if (!(error instanceof ImageRejectedError)) throw error;
      print({ error: error.message, reason: error.reason });
      process.exitCode = 1;
    }
  },
};
