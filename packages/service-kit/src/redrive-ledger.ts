import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@metertwin/db';
import type { BaseEnv } from './config.js';
import { PRISMA } from './database.js';
import { CONFIG } from './tokens.js';

export interface Claim {
  /** Times the work was driven on before. */
  attempts: number;
  lastError: string | null;
}

const MAX_ERROR_LENGTH = 500;

/**
 * The Redrive table: which stranded work the reconciler has claimed, how often it drove each item on
 * and when it may look again. Claims are conditional single-row writes, so replicas running the
 * reconciler at once never drive one item twice in a window.
 */
@Injectable()
export class RedriveLedger {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: BaseEnv,
  ) {}

  /** The items among `ids` that nobody may look at now: claimed, backing off, or given up. */
  async blocked(kind: string, ids: string[], now: Date): Promise<Set<string>> {
    const rows = await this.prisma.redrive.findMany({
      where: { kind, entityId: { in: ids }, OR: [{ notBefore: { gt: now } }, { gaveUpAt: { not: null } }] },
      select: { entityId: true },
    });
    return new Set(rows.map((r) => r.entityId));
  }

  /** Holds the item for one window; null when another replica holds it, it backs off or was given up. */
  async claim(kind: string, entityId: string, now: Date): Promise<Claim | null> {
    const notBefore = new Date(now.getTime() + this.config.RECONCILE_AFTER_MS);
    const created = await this.prisma.redrive.createMany({ data: [{ kind, entityId, notBefore }], skipDuplicates: true });
    if (created.count === 1) return { attempts: 0, lastError: null };
    const [claimed] = await this.prisma.redrive.updateManyAndReturn({
      where: { kind, entityId, gaveUpAt: null, notBefore: { lte: now } },
      data: { notBefore },
      select: { attempts: true, lastError: true },
    });
    return claimed ?? null;
  }

  /** The item was driven on (its `attempts`-th time): look again after a back-off that doubles each time. */
  async attempted(kind: string, entityId: string, attempts: number, error: string | undefined): Promise<void> {
    const backoff = this.config.RECONCILE_AFTER_MS * 2 ** Math.min(attempts - 1, 10);
    await this.prisma.redrive.update({
      where: { kind_entityId: { kind, entityId } },
      data: { attempts, notBefore: new Date(Date.now() + backoff), lastError: error?.slice(0, MAX_ERROR_LENGTH) ?? null },
    });
  }

  /**
   * Forgets rows of work nobody has looked at for a week, or for the longest back-off if that is
   * longer: that work reached its final state, since stranded work is looked at again within the
   * back-off. Given-up rows stay, so what was given up is not driven on again.
   */
  async prune(now: Date): Promise<void> {
    const longestBackoff = this.config.RECONCILE_AFTER_MS * 2 ** Math.min(this.config.RECONCILE_MAX_ATTEMPTS, 11);
    const horizon = Math.max(7 * 24 * 3_600_000, 2 * longestBackoff);
    await this.prisma.redrive.deleteMany({ where: { gaveUpAt: null, notBefore: { lt: new Date(now.getTime() - horizon) } } });
  }

  async gaveUp(kind: string, entityId: string): Promise<void> {
    await this.prisma.redrive.update({ where: { kind_entityId: { kind, entityId } }, data: { gaveUpAt: new Date() } });
  }
}
