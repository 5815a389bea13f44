import { z } from 'zod';
import { MailLocaleSchema } from './locales.js';

/** The request bodies of the operations, validated at each door (portal routes, APIs). */

export const ROLE_VALUES = ['viewer', 'operator', 'admin'] as const;
export const RoleSchema = z.enum(ROLE_VALUES);

/** Long enough to resist guessing (sign-in is throttled too), with no composition rules (NIST SP 800-63B). */
export const NewPasswordSchema = z
  .string()
  .min(10, 'use at least 10 characters')
  .max(1000, 'use at most 1000 characters');

export const InviteSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('enter an e-mail address')).pipe(z.string().max(320)),
  role: RoleSchema,
  locale: MailLocaleSchema,
});
export type InviteInput = z.output<typeof InviteSchema>;

export const AcceptInvitationSchema = z.object({
  name: z.string().trim().min(1, 'enter your name').max(100),
  password: NewPasswordSchema,
});

export const PasswordResetRequestSchema = z.object({
  email: z.string().trim().toLowerCase().max(320),
});

export const PasswordResetSchema = z.object({
  token: z.string().min(1).max(200),
  password: NewPasswordSchema,
});

/** An admin sets the organization's default language, or removes it (null: each browser decides). */
export const OrganizationLanguageSchema = z.object({ locale: MailLocaleSchema.nullable() }).strict();

export const ChangeUserSchema = z.union([z.object({ role: RoleSchema }), z.object({ active: z.boolean() })]);

/** A retention period in whole days (up to ten years); null keeps everything. */
const RetentionDaysSchema = z.number().int().min(1).max(3650).nullable();

/**
 * An admin sets how long photos and readings are kept. Reading retention deletes a capture's photo with
 * its reading, so photos cannot outlive their readings: readings kept for N days need photos kept for at
 * most N days (a photo setting of "forever" or longer would never be what happens).
 */
export const OrganizationRetentionSchema = z
  .object({ photoRetentionDays: RetentionDaysSchema, readingRetentionDays: RetentionDaysSchema })
  .strict()
  .superRefine(({ photoRetentionDays: photos, readingRetentionDays: readings }, ctx) => {
    if (readings === null || (photos !== null && photos <= readings)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['photoRetentionDays'],
      message: `photos go with their readings: keep them at most ${readings} days`,
      params: { code: 'photos-outlive-readings', days: readings },
    });
  });
export type OrganizationRetention = z.output<typeof OrganizationRetentionSchema>;
