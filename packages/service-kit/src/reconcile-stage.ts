import { SetMetadata } from '@nestjs/common';
import type { QueueName } from '@metertwin/contracts';

export const RECONCILES = Symbol('RECONCILES');

/** One piece of work a stage found short of its final state. */
export interface StrandedItem {
  id: string;
}

/** The job that carries an item on: retried when it failed, added again when it is gone. */
export interface JobStep {
  queue: QueueName;
  jobId: string;
  /** Adds the job with its producer's options. */
  add(): Promise<void>;
}

/** Work no job carries: the reconciler does it itself (it must be idempotent). */
export interface RunStep {
  run(): Promise<void>;
}

/**
 * One kind of work the reconciler drives on (docs/operations.md). A provider marked with
 * `@Reconciles(kind)`; the service that owns the stage's hand-off runs it.
 */
export interface ReconcileStage<T extends StrandedItem = StrandedItem> {
  /**
   * Items not at a final state whose last change is older than `cutoff`, oldest first, at most
   * `take`, starting after the item `after` (the last one of the previous batch).
   */
  stranded(cutoff: Date, take: number, after?: string): Promise<T[]>;
  /** What carries the item on from where it is. */
  next(item: T): JobStep | RunStep;
  /** The item used up its attempts: give it its final failed state, where it has one. */
  giveUp(item: T, reason: string): Promise<void>;
}

/** Marks a provider as the reconcile stage of `kind`: the name of its work in the ledger, logs and metrics. */
export const Reconciles = (kind: string) => SetMetadata(RECONCILES, kind);
