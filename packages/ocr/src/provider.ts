/** [x, y, width, height] in pixels of the image sent to the provider. */
export type Box = readonly [number, number, number, number];

/** One drum as the OCR service read it: the digit (null when nothing was read there) and how sure it was. */
export interface OcrDigit {
  index: number;
  digit: number | null;
  confidence: number;
  /** Where the matched characters were, in the window image; null when nothing matched the drum. */
  box: Box | null;
}

export interface OcrResult {
  provider: string;
  /** All the text the service found, as it returned it. */
  text: string;
  /** One entry per digit box, most significant first. */
  digits: OcrDigit[];
}

export interface OcrRequest {
  /** The counter window only (JPEG or PNG): a whole photo costs the same and reads worse. */
  image: Uint8Array;
  /** Where each drum is in that image, most significant first. */
  digitBoxes: Box[];
}

/** A text-recognition service asked for a second opinion on a counter window. */
export interface OcrProvider {
  readonly name: string;
  recognize(request: OcrRequest): Promise<OcrResult>;
  close(): Promise<void>;
}

export type OcrErrorKind = 'quota' | 'timeout' | 'unavailable' | 'rejected';

/** A call that did not give an answer, with a kind callers can count and act on. */
export class OcrError extends Error {
  constructor(
    readonly kind: OcrErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OcrError';
  }
}
