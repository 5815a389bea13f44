import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './generated/openapi.js';

/**
 * A typed client of MeterTwin's public REST API: paths, parameters, bodies and responses are the
 * types generated from its OpenAPI document (src/generated/openapi.ts), calls go through openapi-fetch.
 *
 *   const api = createMeterTwinClient({ baseUrl: 'https://portal.example', apiKey: 'mtk_…' });
 *   const { data, error } = await api.GET('/meters/{id}/readings', { params: { path: { id }, query: { limit: 100 } } });
 */

export type { components, operations, paths };
type Schemas = components['schemas'];
export type Meter = Schemas['Meter'];
export type Reading = Schemas['Reading'];
export type Alarm = Schemas['Alarm'];
export type Rule = Schemas['Rule'];
export type NewRule = Schemas['NewRule'];
export type RulePatch = Schemas['RulePatch'];
export type ApiError = Schemas['Error'];
export type MeterTwinClient = Client<paths>;

export interface MeterTwinClientOptions {
  /** The portal's address, e.g. https://portal.example (the client adds /api/v1). */
  baseUrl: string;
  /** An organization API key, `mtk_…`, with the scopes the calls need. */
  apiKey: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

export function createMeterTwinClient(options: MeterTwinClientOptions): MeterTwinClient {
  return createClient<paths>({
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1`,
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
