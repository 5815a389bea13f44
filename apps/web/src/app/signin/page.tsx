import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { safeNextPath } from '../../lib/next-path';
import { currentUser } from '../../lib/session';
import styles from './signin.module.css';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('signin'))('title') };
}

/** The sign-in route's `?error=` codes: each is a message `signin.error.<code>`. */
const ERRORS = ['invalid', 'missing', 'throttled', 'unavailable'] as const;
type SignInError = (typeof ERRORS)[number];
const isSignInError = (code: unknown): code is SignInError => (ERRORS as readonly unknown[]).includes(code);

// Seconds until the throttle lets this sign-in try again (the sign-in route adds it to `throttled`).
const RetrySchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(24 * 3600);

/** `?notice=` after an accepted invitation or a new password: what to say above the form. */
const NOTICES = { invited: 'invite.accepted', 'password-reset': 'passwordReset.done' } as const;
const isNotice = (code: unknown): code is keyof typeof NOTICES =>
  typeof code === 'string' && Object.hasOwn(NOTICES, code);

type Translate = Awaited<ReturnType<typeof getTranslations<'signin'>>>;

function tryAgainIn(t: Translate, retry: unknown): string {
  const seconds = RetrySchema.safeParse(retry);
  if (!seconds.success) return t('retry.later');
  if (seconds.data < 90) return t('retry.seconds', { count: seconds.data });
  return t('retry.minutes', { count: Math.ceil(seconds.data / 60) });
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  if (await currentUser()) redirect(next);
  const t = await getTranslations('signin');
  const reason = isSignInError(params.error) ? t(`error.${params.error}`) : undefined;
  const error = params.error === 'throttled' ? `${reason} ${tryAgainIn(t, params.retry)}` : reason;
  const tAll = await getTranslations();
  const notice = isNotice(params.notice) ? tAll(NOTICES[params.notice]) : undefined;

  return (
    <section className={styles.card} aria-labelledby="signin-title">
      <h1 id="signin-title" className={styles.title}>
        {t('title')}
      </h1>
      <p className="muted">{t('intro')}</p>
      {notice ? <p role="status">{notice}</p> : null}
      {error ? (
        <p className={styles.error} role="alert" id="signin-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/api/auth/signin" className={styles.form}>
        <input type="hidden" name="next" value={next} />
        <label htmlFor="email">{t('email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          aria-describedby={error ? 'signin-error' : undefined}
        />
        <label htmlFor="password">{t('password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-describedby={error ? 'signin-error' : undefined}
        />
        <button type="submit" className={styles.submit}>
          {t('submit')}
        </button>
      </form>
      <p>
        <a href="/reset-password">{tAll('passwordReset.forgot')}</a>
      </p>
    </section>
  );
}
