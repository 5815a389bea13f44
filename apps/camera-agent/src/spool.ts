import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A photo waiting on disk to be sent: its file and the time it was taken. */
export interface SpooledPhoto {
  file: string;
  takenAt: Date;
}

/**
 * Photos on disk until the platform has them. A file is named by the time the photo was taken
 * (zero-padded milliseconds, so names sort in time order) and its content hash; it is written to a
 * temporary name, flushed and renamed, so a power cut leaves either a whole photo or none.
 * Photos the platform refused for good move to `rejected/` with the reason beside them.
 */
export class Spool {
  private constructor(
    private readonly dir: string,
    private readonly maxPhotos: number,
  ) {}

  static async open(dir: string, maxPhotos: number): Promise<Spool> {
    await mkdir(join(dir, 'rejected'), { recursive: true });
    return new Spool(dir, maxPhotos);
  }

  /** Keeps a photo; drops the oldest ones past `maxPhotos` and says how many. */
  async put(photo: Buffer, takenAt: Date): Promise<{ photo: SpooledPhoto; dropped: number }> {
    const sha = createHash('sha256').update(photo).digest('hex').slice(0, 16);
    const name = `${String(takenAt.getTime()).padStart(15, '0')}-${sha}.img`;
    const temp = join(this.dir, `.${name}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(photo);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(this.dir, name));
    const waiting = await this.list();
    const excess = waiting.slice(0, Math.max(0, waiting.length - this.maxPhotos));
    for (const old of excess) await rm(join(this.dir, old.file), { force: true });
    return { photo: { file: name, takenAt }, dropped: excess.length };
  }

  /** Photos waiting, oldest first. */
  async list(): Promise<SpooledPhoto[]> {
    const names = (await readdir(this.dir)).filter((n) => /^\d{15}-[0-9a-f]{16}\.img$/.test(n)).sort();
    return names.map((file) => ({ file, takenAt: new Date(Number(file.slice(0, 15))) }));
  }

  read(photo: SpooledPhoto): Promise<Buffer> {
    return readFile(join(this.dir, photo.file));
  }

  async remove(photo: SpooledPhoto): Promise<void> {
    await rm(join(this.dir, photo.file), { force: true });
  }

  async reject(photo: SpooledPhoto, reason: string): Promise<void> {
    await rename(join(this.dir, photo.file), join(this.dir, 'rejected', photo.file));
    await writeFile(join(this.dir, 'rejected', `${photo.file}.reason.txt`), `${reason}\n`);
  }

  async rejected(): Promise<string[]> {
    return (await readdir(join(this.dir, 'rejected'))).filter((n) => n.endsWith('.img')).sort();
  }
}
