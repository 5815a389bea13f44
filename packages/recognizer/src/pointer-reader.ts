import type { CropImage } from '@metertwin/contracts';
import { loadPointerClassifier, type PointerClassifier, type PointerPrediction } from './classifier.js';

/**
 * Reads pointer dials with the pointer model, loaded on the first photo that has dials (most meters
 * have none, and the recognize service must start without that model); the recognize service and the
 * CLI's `read` both read dials through it. When the model cannot be loaded, dials are not read: the
 * reading keeps the drums' resolution, which is still a true value.
 */
export class PointerReader {
  private model: Promise<PointerClassifier | Error> | undefined;

  constructor(private readonly modelDir: string | undefined) {}

  /** Dial positions (0–10), or an Error saying why the dials cannot be read. */
  async read(crops: CropImage[]): Promise<PointerPrediction[] | Error> {
    this.model ??= loadPointerClassifier(this.modelDir).catch(
      (error: unknown) =>
        new Error(`no pointer model: ${error instanceof Error ? error.message : String(error)}`),
    );
    const model = await this.model;
    return model instanceof Error ? model : model.classify(crops);
  }

  async dispose(): Promise<void> {
    const model = await this.model;
    if (model && !(model instanceof Error)) model.dispose();
  }
}
