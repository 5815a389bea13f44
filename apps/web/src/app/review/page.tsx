import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import ui from '../../components/ui.module.css';
import { hasRole } from '../../lib/auth';
import { loadReviewQueue } from '../../lib/review-queue';
import { prisma } from '../../lib/server';
import { requireUser } from '../../lib/session';
import { ReviewQueue } from './ReviewQueue';
import styles from './review.module.css';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('review'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function ReviewPage() {
  const user = await requireUser();
  const { items, total } = await loadReviewQueue(prisma(), user.orgId);
  const t = await getTranslations('review');
  return (
    <section aria-labelledby="review-title">
      <header className={styles.header}>
        <h1 id="review-title" className={ui.pageTitle}>
          {t('title')}
        </h1>
        <p className="muted">
          {total === 0
            ? t('nothing')
            : total > items.length
              ? t('waitingShown', { count: total, shown: items.length })
              : t('waiting', { count: total })}
        </p>
      </header>
      <ReviewQueue items={items} canReview={hasRole(user, 'operator')} />
    </section>
  );
}
