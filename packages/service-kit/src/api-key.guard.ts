import {
  createParamDecorator,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { findApiKey, type ApiKeyGrant, type ApiScope, type PrismaClient } from '@metertwin/db';
import { PRISMA } from './database.js';
import { refusal } from './http-refusal.js';

type KeyedRequest = Request & { apiKey?: ApiKeyGrant };

const SCOPE = 'metertwin:api-scope';
/** The scope a route needs; without it, reads (GET) need `read` and everything else `write`. */
export const RequireScope = (scope: ApiScope) => SetMetadata(SCOPE, scope);

/**
 * The services' APIs answer to organization API keys (`Authorization: Bearer mtk_…`), created and
 * revoked by an admin in the portal. The key decides the organization: a route handler takes it
 * from `@ApiOrg()`, never from the body, so a key of one organization only ever sees its own.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<KeyedRequest>();
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw refusal(UnauthorizedException, 'an API key is required: Authorization: Bearer mtk_…', { code: 'api-key-required' });
    const grant = await findApiKey(this.prisma, token);
    if (!grant) throw refusal(UnauthorizedException, 'unknown or revoked API key', { code: 'api-key-unknown' });
    const needed = this.reflector.getAllAndOverride<ApiScope | undefined>(SCOPE, [context.getHandler(), context.getClass()]) ?? (req.method === 'GET' ? 'read' : 'write');
    if (!grant.scopes.includes(needed)) throw refusal(ForbiddenException, `this API key lacks the "${needed}" scope`, { code: 'api-key-scope-missing', params: { scope: needed } });
    req.apiKey = grant;
    return true;
  }
}

/** The organization of the request's API key (routes behind ApiKeyGuard). */
export const ApiOrg = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const grant = context.switchToHttp().getRequest<KeyedRequest>().apiKey;
  if (!grant) throw refusal(UnauthorizedException, 'an API key is required', { code: 'api-key-required' });
  return grant.orgId;
});

/** The request's API key as the audit log records an actor: what it changed is audited to the key. */
export const ApiKeyActor = createParamDecorator((_data: unknown, context: ExecutionContext): { orgId: string; type: 'api-key'; id: string } => {
  const grant = context.switchToHttp().getRequest<KeyedRequest>().apiKey;
  if (!grant) throw refusal(UnauthorizedException, 'an API key is required', { code: 'api-key-required' });
  return { orgId: grant.orgId, type: 'api-key', id: grant.keyId };
});
