import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, PrismaClient } from './generated/client.js';

/**
 * Organization API keys for the services' APIs. The key is `mtk_<8 chars>_<secret>`: the first part
 * (prefix) is stored to tell keys apart, the whole key only as its sha256 (a database dump holds no
 * usable key). Revoking is immediate: every request looks the key up.
 */

export const API_SCOPES = ['read', 'write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const hashKey = (token: string) => createHash('sha256').update(token).digest('hex');

/** What a valid key grants. */
export interface ApiKeyGrant {
  keyId: string;
  orgId: string;
  scopes: ApiScope[];
}

export type ApiKeyView = Omit<ApiKey, 'tokenHash'>;

export async function createApiKey(
  prisma: PrismaClient,
  input: { orgId: string; name: string; scopes: readonly ApiScope[]; createdById?: string },
): Promise<{ key: ApiKeyView; token: string }> {
  const prefix = `mtk_${randomBytes(6).toString('base64url')}`;
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  const key = await prisma.apiKey.create({
    data: { orgId: input.orgId, name: input.name, prefix, tokenHash: hashKey(token), scopes: [...new Set(input.scopes)], createdById: input.createdById },
    omit: { tokenHash: true },
  });
  return { key, token };
}

/** The grant of a key that exists and is not revoked, or null. */
export async function findApiKey(prisma: PrismaClient, token: string, now = new Date()): Promise<ApiKeyGrant | null> {
  if (!/^mtk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const key = await prisma.apiKey.findUnique({ where: { tokenHash: hashKey(token) } });
  if (!key || key.revokedAt) return null;
  // lastUsedAt at most once a minute: not one write per request.
  await prisma.apiKey.updateMany({
    where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
  return { keyId: key.id, orgId: key.orgId, scopes: key.scopes.filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s)) };
}

export async function listApiKeys(prisma: PrismaClient, orgId: string): Promise<ApiKeyView[]> {
  return prisma.apiKey.findMany({ where: { orgId }, orderBy: { createdAt: 'desc' }, omit: { tokenHash: true } });
}

/** Revokes one of the organization's keys; false when it has no such key (or it was revoked already). */
export async function revokeApiKey(prisma: PrismaClient, orgId: string, id: string, now = new Date()): Promise<boolean> {
  const { count } = await prisma.apiKey.updateMany({ where: { id, orgId, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}
