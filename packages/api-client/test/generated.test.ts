import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, renderOpenApiTypes } from '../scripts/openapi-types.js';

describe('generated API types', () => {
  it('are up to date with the public-api schemas (else: pnpm --filter @metertwin/api-client generate)', async () => {
    expect(await readFile(GENERATED_FILE, 'utf8')).toBe(await renderOpenApiTypes());
  });
});
