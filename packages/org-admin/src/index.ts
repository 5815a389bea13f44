export * from './context.js';
export * from './errors.js';
export * from './locales.js';
export * from './schemas.js';
export * from './mail/mail-config.js';
export * from './mail/mailer.js';
export {
  acceptInvitation,
  findInvitation,
  inviteUser,
  INVITATION_TTL_MS,
  revokeInvitation,
  type InvitationView,
  type Inviter,
} from './invitations.js';
export { changeUserRole, listMembers, setUserActive, type OrgUserView } from './membership.js';
export { organizationLanguage, setOrganizationLanguage } from './organization-language.js';
export { organizationRetention, setOrganizationRetention } from './organization-retention.js';
export {
  isPasswordResetUsable,
  PASSWORD_RESET_TTL_MS,
  requestPasswordReset,
  resetPassword,
  sendPasswordResetLink,
} from './password-reset.js';
