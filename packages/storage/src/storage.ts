/** Where capture images live. Keys are relative paths such as `captures/<meterId>/<sha256>.jpg`. */
export interface ImageStorage {
  /** Writes the bytes under the key; writing the same key again is harmless (content-addressed keys). */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Removes the image; a key with no image is already what was asked. */
  delete(key: string): Promise<void>;
  describe(): string;
}

export class ImageNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no stored image at "${key}"`);
  }
}
