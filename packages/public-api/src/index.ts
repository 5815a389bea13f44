export * from './cursor.js';
export * from './schemas.js';
export * from './operations.js';
export { openApiDocument } from './openapi.js';
