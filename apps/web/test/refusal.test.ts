import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterLayout } from '@metertwin/contracts';
import { createMeterWithCamera, createPrismaClient, type PrismaClient } from '@metertwin/db';
import { createTestDatabase, type TestDatabase } from '@metertwin/testing';
import { createOrg } from './fixtures';
import { apiRequest, createUser, sessionCookie } from './support/auth';
import { appDir } from './support/portal';
import { refusalText } from '../src/lib/refusal-text';
import type { RefusalBody } from '../src/lib/refusal';

// Real routes against a throwaway database: what they refuse, and how the page words it in each language.
let settingsRoute: typeof import('../src/app/api/meters/[id]/settings/route');
let cameraRoute: typeof import('../src/app/api/meters/[id]/cameras/[deviceId]/route');
let webhooksRoute: typeof import('../src/app/api/organization/webhooks/route');
let invitationsRoute: typeof import('../src/app/api/organization/invitations/route');
let pushDevicesRoute: typeof import('../src/app/api/me/push-devices/route');
let webPushRoute: typeof import('../src/app/api/me/web-push/route');
let historyRoute: typeof import('../src/app/api/meters/[id]/history/route');
let restoreRoute: typeof import('../src/app/api/meters/[id]/adapter/restore/route');
let rulesRoute: typeof import('../src/app/api/rules/route');
let ruleRoute: typeof import('../src/app/api/rules/[id]/route');
let db: TestDatabase;
let prisma: PrismaClient;
let operator: string;
let admin: string;
let adminEmail: string;
let meterId: string;
let deviceId: string;

/** An eight-drum counter's layout (the drums are never cut here). */
const COUNTER: CounterLayout = {
  v: 1,
  reference: { width: 800, height: 600 },
  digits: Array.from({ length: 8 }, (_, i): [number, number, number, number] => [100 + i * 40, 200, 36, 60]),
  pointers: [],
};

const messages = (locale: string) => JSON.parse(readFileSync(path.join(appDir, 'messages', `${locale}.json`), 'utf8'));
const translators = {
  en: createTranslator({ locale: 'en', messages: messages('en'), namespace: 'errors' }),
  ko: createTranslator({ locale: 'ko', messages: messages('ko'), namespace: 'errors' }),
};
const words = (locale: 'en' | 'ko', body: RefusalBody) =>
  refusalText(translators[locale] as unknown as Parameters<typeof refusalText>[0], body);

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: db.url, STORAGE_DIR: '/tmp', OUTBOUND_ALLOWED_HOSTS: '' });
  delete process.env.SMTP_URL; // mails go to the log
  settingsRoute = await import('../src/app/api/meters/[id]/settings/route');
  cameraRoute = await import('../src/app/api/meters/[id]/cameras/[deviceId]/route');
  webhooksRoute = await import('../src/app/api/organization/webhooks/route');
  invitationsRoute = await import('../src/app/api/organization/invitations/route');
  pushDevicesRoute = await import('../src/app/api/me/push-devices/route');
  webPushRoute = await import('../src/app/api/me/web-push/route');
  historyRoute = await import('../src/app/api/meters/[id]/history/route');
  restoreRoute = await import('../src/app/api/meters/[id]/adapter/restore/route');
  rulesRoute = await import('../src/app/api/rules/route');
  ruleRoute = await import('../src/app/api/rules/[id]/route');
  prisma = createPrismaClient(db.url);
  const orgId = await createOrg(prisma);
  operator = await sessionCookie(prisma, (await createUser(prisma, { orgId, role: 'operator' })).id);
  const adminUser = await createUser(prisma, { orgId, role: 'admin' });
  admin = await sessionCookie(prisma, adminUser.id);
  adminEmail = adminUser.email;
  ({ meterId } = await createMeterWithCamera(prisma, { orgId, name: 'Boiler', digits: 8, decimals: 3, layout: COUNTER }, { snapshotUrl: 'http://203.0.113.9/capture', pullIntervalSec: 60 }));
  deviceId = (await prisma.device.findFirstOrThrow({ where: { meterId } })).id;
}, 120_000);

afterAll(async () => {
  const g = globalThis as { __mtPrisma?: PrismaClient };
  await g.__mtPrisma?.$disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

async function refusal(response: Promise<Response>): Promise<{ status: number; body: RefusalBody }> {
  const res = await response;
  return { status: res.status, body: (await res.json()) as RefusalBody };
}

const settings = (json: unknown) =>
  refusal(settingsRoute.POST(apiRequest('/api/meters/x/settings', { method: 'POST', cookie: operator, json }), { params: Promise.resolve({ id: meterId }) }));

describe('refusals carry a code the page words in English and Korean', () => {
  it('answers each schema problem as a field issue with a code, next to the English text', async () => {
    const { status, body } = await settings({ name: '   ', location: 'x'.repeat(201), timeZone: 'Europe/Atlantis', decimals: 40, ocrMode: 'always', colour: 'red' });
    expect(status).toBe(422);
    expect(body.error).toMatch(/^name: the meter needs a name/);
    expect(body.code).toBe('invalid-fields');
    expect(body.issues).toEqual(
      expect.arrayContaining([
        { field: 'name', code: 'required' },
        { field: 'location', code: 'too-long', params: { maximum: 200 } },
        { field: 'timeZone', code: 'not-a-time-zone', params: {} },
        { field: 'decimals', code: 'too-large', params: { maximum: 12 } },
        { field: 'ocrMode', code: 'not-one-of', params: { values: 'off, fallback, compare' } },
        { field: '(body)', code: 'unknown-field', params: { keys: 'colour' } },
      ]),
    );
    const en = words('en', body)!;
    expect(en).toContain('Name: required.');
    expect(en).toContain('Location: at most 200 characters.');
    expect(en).toContain('Time zone: not an IANA time zone');
    expect(en).toContain('Decimals: at most 12.');
    const ko = words('ko', body)!;
    expect(ko).toContain('이름: 필수 항목입니다.');
    expect(ko).toContain('위치: 200자 이하여야 합니다.');
    expect(ko).toContain('시간대: IANA 시간대가 아닙니다');
    expect(ko).toContain('요청: 알 수 없는 항목입니다(colour).');
    // every field by its Korean name (values such as the allowed modes stay as the API spells them)
    expect(ko).not.toMatch(/\b(name|location|timeZone|decimals|ocrMode|body)\b/);
  });

  it("answers a domain refusal's code and params: the field and the counter's drums", async () => {
    const { status, body } = await settings({ decimals: 9 });
    expect(status).toBe(422);
    expect(body).toEqual({
      error: 'decimals: the counter has 8 drums, so at most 8 decimals',
      code: 'decimals-exceed-drums',
      params: { field: 'decimals', drums: 8 },
    });
    expect(words('en', body)).toBe('Decimals: the counter has 8 drums, so at most 8 decimals.');
    expect(words('ko', body)).toBe('소수 자릿수: 계수기의 드럼이 8개이므로 소수 자릿수는 최대 8입니다.');
  });

  it('names the URL a camera or webhook may not reach, by its field', async () => {
    const camera = await refusal(
      cameraRoute.POST(apiRequest('/api/meters/x/cameras/y', { method: 'POST', cookie: operator, json: { snapshotUrl: 'http://10.9.8.7/snap.jpg' } }), { params: Promise.resolve({ id: meterId, deviceId }) }),
    );
    expect(camera.status).toBe(422);
    expect(camera.body).toMatchObject({ code: 'url-private-address', params: { field: 'snapshotUrl', host: '10.9.8.7' } });
    expect(words('ko', camera.body)).toMatch(/^스냅샷 URL: 10\.9\.8\.7은\(는\) 조직의 장치 네트워크 밖에 있는 사설 주소입니다/);

    const webhook = await refusal(webhooksRoute.POST(apiRequest('/api/organization/webhooks', { method: 'POST', cookie: admin, json: { url: 'https://127.0.0.1/hook', events: ['alarm.raised'] } })));
    expect(webhook.status).toBe(400);
    expect(webhook.body).toMatchObject({ code: 'url-forbidden-address', params: { field: 'url', host: '127.0.0.1' } });
    expect(words('en', webhook.body)).toBe('URL: 127.0.0.1 is an address the platform never connects to.');
  });

  it('words a refusal of the role', async () => {
    const viewer = await sessionCookie(prisma, (await createUser(prisma, { orgId: (await prisma.meter.findUniqueOrThrow({ where: { id: meterId } })).orgId, role: 'viewer' })).id);
    const { status, body } = await refusal(
      settingsRoute.POST(apiRequest('/api/meters/x/settings', { method: 'POST', cookie: viewer, json: { name: 'x' } }), { params: Promise.resolve({ id: meterId }) }),
    );
    expect(status).toBe(403);
    expect(body).toEqual({ error: 'needs the operator role', code: 'role-needed', params: { role: 'operator' } });
    expect(words('ko', body)).toBe('운영자 역할이 필요합니다.');
    expect(words('en', body)).toBe('This needs the operator role.');
  });

  it('words org-admin refusals through the same messages', async () => {
    const { status, body } = await refusal(
      invitationsRoute.POST(apiRequest('/api/organization/invitations', { method: 'POST', cookie: admin, json: { email: adminEmail, role: 'viewer', locale: 'ko' } })),
    );
    expect(status).toBe(409);
    expect(body.code).toBe('already-member');
    expect(words('ko', body)).toBe('이 이메일 주소로 이미 계정이 있습니다.');
  });

  it("words the request helpers' refusals: another site, a body too large, not JSON", async () => {
    const crossSite = await refusal(
      settingsRoute.POST(apiRequest('/api/meters/x/settings', { method: 'POST', cookie: operator, json: { name: 'x' }, headers: { origin: 'https://evil.example' } }), { params: Promise.resolve({ id: meterId }) }),
    );
    expect(crossSite).toEqual({ status: 403, body: { error: 'cross-site request refused', code: 'cross-site' } });
    expect(words('ko', crossSite.body)).toBe('다른 사이트에서 온 요청이라 거부되었습니다.');

    const tooLarge = await refusal(pushDevicesRoute.POST(apiRequest('/api/me/push-devices', { method: 'POST', cookie: operator, json: { token: 'x'.repeat(70_000) } })));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'body-too-large', params: { maxBytes: 65_536 } });
    expect(words('en', tooLarge.body)).toBe('The request is too large: at most 65,536 bytes.');
    expect(words('ko', tooLarge.body)).toBe('요청이 너무 큽니다. 최대 65,536바이트까지 보낼 수 있습니다.');

    const broken = apiRequest('/api/me/push-devices', { method: 'POST', cookie: operator, headers: { 'content-type': 'application/json' } });
    const notJson = await refusal(pushDevicesRoute.POST(new Request(broken.url, { method: 'POST', headers: broken.headers, body: '{"token":' })));
    expect(notJson).toEqual({ status: 400, body: { error: 'expected a JSON body', code: 'body-not-json' } });
    expect(words('ko', notJson.body)).toBe('요청이 올바른 JSON이 아닙니다.');
  });

  it("words push registrations: another organization's device (409), an unknown one (404)", async () => {
    const subscription = { endpoint: `https://push.example/${Date.now()}`, keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) } };
    const register = (cookie: string) => refusal(webPushRoute.POST(apiRequest('/api/me/web-push', { method: 'POST', cookie, json: subscription })));
    expect((await register(operator)).status).toBe(201);
    const stranger = await sessionCookie(prisma, (await createUser(prisma, { orgId: await createOrg(prisma), role: 'viewer' })).id);
    const foreign = await register(stranger);
    expect(foreign).toEqual({
      status: 409,
      body: { error: 'this device is registered to another organization: sign out of it there first', code: 'device-registered-elsewhere' },
    });
    expect(words('ko', foreign.body)).toBe('이 기기는 다른 조직에 등록되어 있습니다. 먼저 그 조직에서 로그아웃하세요.');

    const unknown = await refusal(pushDevicesRoute.DELETE(apiRequest('/api/me/push-devices', { method: 'DELETE', cookie: operator, json: { token: 'never-registered' } })));
    expect(unknown).toEqual({ status: 404, body: { error: 'no such device', code: 'push-device-not-found' } });
    expect(words('ko', unknown.body)).toBe('등록된 그런 휴대폰이 없습니다.');
  });

  it("words the history of another organization's meter and a restore with no adapter", async () => {
    const history = await refusal(historyRoute.GET(apiRequest('/api/meters/x/history', { cookie: operator }), { params: Promise.resolve({ id: 'no-such-meter' }) }));
    expect(history).toEqual({ status: 404, body: { error: 'meter not found', code: 'meter-not-found' } });
    expect(words('ko', history.body)).toBe('이 조직에 그런 계량기가 없습니다.');

    const restore = await refusal(restoreRoute.POST(apiRequest('/api/meters/x/adapter/restore', { method: 'POST', cookie: admin }), { params: Promise.resolve({ id: meterId }) }));
    expect(restore.status).toBe(409);
    expect(restore.body.code).toBe('no-adapter-to-restore');
    expect(words('ko', restore.body)).toBe('계량기가 기본 모델로 읽고 있어 복원할 어댑터가 없습니다.');
  });

  it("codes the history's query problems and words them in Korean", async () => {
    const history = await refusal(
      historyRoute.GET(apiRequest(`/api/meters/${meterId}/history?range=week&buckets=20000`, { cookie: operator }), { params: Promise.resolve({ id: meterId }) }),
    );
    expect(history.status).toBe(400);
    expect(history.body).toMatchObject({
      code: 'invalid-fields',
      issues: [
        { field: 'range', code: 'not-one-of', params: { values: 'hour, day, month' } },
        { field: 'buckets', code: 'too-large', params: { maximum: 10_000 } },
      ],
    });
    expect(words('ko', history.body)).toBe('기간: 다음 중 하나여야 합니다: hour, day, month. 막대 수: 10,000 이하여야 합니다.');
    expect(words('en', history.body)).toBe('Range: must be one of hour, day, month. Number of bars: at most 10,000.');
  });

  it("codes a rule config its type refuses, an unknown type and a missing rule, and words them in Korean", async () => {
    const post = (json: unknown) => refusal(rulesRoute.POST(apiRequest('/api/rules', { method: 'POST', cookie: operator, json })));
    const bounds = await post({ type: 'threshold', meterId, config: {} });
    expect(bounds.status).toBe(400);
    expect(bounds.body).toMatchObject({
      error: 'config for threshold: (config): set "above", "below" or both',
      code: 'invalid-fields',
      issues: [{ field: 'config', code: 'set-one-or-both', params: { fields: 'above, below' } }],
    });
    expect(words('ko', bounds.body)).toBe('설정: above, below 중 하나 이상을 설정하세요.');

    const night = await post({ type: 'continuous-flow', meterId, config: { timeZone: 'Mars/Olympus', hours: 3 } });
    expect(night.body.issues?.map((i) => [i.field, i.code])).toEqual([
      ['config.timeZone', 'not-a-time-zone'],
    ]);
    expect(words('ko', night.body)).toBe('시간대: IANA 시간대가 아닙니다(예: Asia/Seoul).');
    const empty = await post({ type: 'continuous-flow', meterId, config: { timeZone: 'Asia/Seoul', from: '02:00', to: '02:00', hours: 3 } });
    expect(words('ko', empty.body)).toBe('설정: 야간 구간의 시작(from)과 끝(to)이 달라야 합니다. 설정: 시간(hours)이 야간 구간 안에 들어가야 합니다.');
    expect(words('en', empty.body)).toBe('Settings: the night window needs a start (from) and an end (to) that differ. Settings: the hours must fit in the night window.');

    const unknown = await post({ type: 'no-such-rule', meterId, config: {} });
    expect(unknown.body).toMatchObject({ code: 'unknown-rule-type', params: { type: 'no-such-rule' } });
    expect(words('ko', unknown.body)).toMatch(/^“no-such-rule” 규칙 유형은 없습니다\(사용 가능: threshold, /);

    const missing = await refusal(
      ruleRoute.DELETE(apiRequest('/api/rules/x', { method: 'DELETE', cookie: operator }), { params: Promise.resolve({ id: '00000000-0000-4000-8000-000000000000' }) }),
    );
    expect(missing).toMatchObject({ status: 404, body: { code: 'rule-not-found' } });
    expect(words('ko', missing.body)).toBe('이 조직에 그런 규칙이 없습니다.');
  });

  it('leaves a refusal without a code, or with a code it has no message for, to its English text', () => {
    expect(words('ko', { error: 'config for threshold: (config): set "above", "below" or both' })).toBeUndefined();
    expect(words('ko', { error: 'x', code: 'invalid-fields', issues: [{ field: 'name', code: 'required' }, { field: 'x', code: 'no-such-code' }] })).toBeUndefined();
  });
});
