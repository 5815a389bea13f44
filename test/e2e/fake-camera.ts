import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * A camera command for the camera agent: each run prints the next JPEG prepared in `dir` and removes
 * it (like a camera, never the same photo twice).
 */
export async function fakeCamera(dir: string) {
  await mkdir(dir, { recursive: true });
  return {
    command: ['sh', '-c', `f=$(ls "${dir}"/*.jpg | head -n 1); cat "$f" && rm "$f"`],
    /** Prepares `count` distinct frames, numbered from `from` (the file names keep them in order). */
    async prepare(count: number, from: number): Promise<void> {
      for (let i = 0; i < count; i++) {
        const n = from + i;
        const jpeg = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 } } })
          .jpeg()
          .toBuffer();
        await writeFile(join(dir, `${String(n).padStart(4, '0')}.jpg`), jpeg);
      }
    },
  };
}
