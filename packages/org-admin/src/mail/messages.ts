import type { MailLocale } from '../locales.js';
import type { OutgoingMail } from './mailer.js';

/** The e-mails' texts, in each language the portal speaks. Plain text: links stay readable everywhere. */

export interface InvitationMailInput {
  to: string;
  orgName: string;
  inviterName: string;
  role: 'admin' | 'operator' | 'viewer';
  link: string;
  expiresAt: Date;
}

export interface PasswordResetMailInput {
  to: string;
  name: string;
  link: string;
  validMinutes: number;
}

const ROLE_NAMES: Record<MailLocale, Record<InvitationMailInput['role'], string>> = {
  en: { admin: 'admin', operator: 'operator', viewer: 'viewer' },
  ko: { admin: '관리자', operator: '운영자', viewer: '조회자' },
};

const day = (locale: MailLocale, date: Date) =>
  new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(date) + ' UTC';

export function invitationMail(locale: MailLocale, input: InvitationMailInput): OutgoingMail {
  const role = ROLE_NAMES[locale][input.role];
  const until = day(locale, input.expiresAt);
  if (locale === 'ko') {
    return {
      to: input.to,
      subject: `${input.orgName}의 MeterTwin에 초대되었습니다`,
      text: [
        `${input.inviterName}님이 ${input.orgName}의 MeterTwin 포털에 ${role}(으)로 초대했습니다.`,
        '',
        '아래 링크를 열어 이름과 비밀번호를 정하면 계정이 만들어집니다:',
        input.link,
        '',
        `이 링크는 한 번만 쓸 수 있으며 ${until}까지 유효합니다.`,
        '초대를 기대하지 않았다면 이 메일을 무시하세요.',
      ].join('\n'),
    };
  }
  return {
    to: input.to,
    subject: `You are invited to ${input.orgName} on MeterTwin`,
    text: [
      `${input.inviterName} invited you to ${input.orgName}'s MeterTwin portal as ${role}.`,
      '',
      'Open this link and choose your name and password to create your account:',
      input.link,
      '',
      `The link works once, until ${until}.`,
      'If you did not expect this invitation, ignore this e-mail.',
    ].join('\n'),
  };
}

export function passwordResetMail(locale: MailLocale, input: PasswordResetMailInput): OutgoingMail {
  if (locale === 'ko') {
    return {
      to: input.to,
      subject: 'MeterTwin 비밀번호 재설정',
      text: [
        `${input.name}님, 안녕하세요.`,
        '',
        'MeterTwin 비밀번호 재설정이 요청되었습니다. 아래 링크에서 새 비밀번호를 정하세요:',
        input.link,
        '',
        `이 링크는 한 번만 쓸 수 있으며 ${input.validMinutes}분 동안 유효합니다.`,
        '요청하지 않았다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다.',
      ].join('\n'),
    };
  }
  return {
    to: input.to,
    subject: 'Reset your MeterTwin password',
    text: [
      `Hello ${input.name},`,
      '',
      'Someone asked to reset your MeterTwin password. Choose a new one here:',
      input.link,
      '',
      `The link works once, for ${input.validMinutes} minutes.`,
      'If it was not you, ignore this e-mail: your password stays as it is.',
    ].join('\n'),
  };
}
