import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '@metertwin/public-api';

/** Where the generated types are committed. */
export const GENERATED_FILE = new URL('../src/generated/openapi.ts', import.meta.url);

/** The TypeScript types of the OpenAPI document the portal serves, from the same schema module (no server needed). */
export async function renderOpenApiTypes(): Promise<string> {
  // A field with a default is one the client may leave out (openapi-typescript would make it required).
  const ast = await openapiTS(openApiDocument() as unknown as OpenAPI3, { defaultNonNullable: false });
  return `// Generated from @metertwin/public-api by \`pnpm --filter @metertwin/api-client generate\`: do not edit.\n\n${astToString(ast)}`;
}
