import type { Metadata } from 'next';
import ui from '../../components/ui.module.css';
import { hasRole } from '../../lib/auth';
import { loadReviewQueue } from '../../lib/review-queue';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import { ReviewQueue } from './ReviewQueue';
import styles from './review.module.css';

export const metadata: Metadata = { title: 'Review' };
export const dynamic = 'force-dynamic';

export default async function ReviewPage() {
  const user = await requireUser();
  const { items, total } = await loadReviewQueue(prisma(), user.orgId);
  return (
    <section aria-labelledby="review-title">
      <header className={styles.header}>
        <h1 id="review-title" className={ui.pageTitle}>
          Review
        </h1>
        <p className="muted">
          {total === 0
            ? 'Nothing waits for review.'
            : `${total} reading${total === 1 ? '' : 's'} the machine was not sure about${total > items.length ? ` (oldest ${items.length} shown)` : ''}.`}
        </p>
      </header>
      <ReviewQueue items={items} canReview={hasRole(user, 'operator')} />
    </section>
  );
}
