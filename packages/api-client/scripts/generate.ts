import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { GENERATED_FILE, renderOpenApiTypes } from './openapi-types.js';

const file = fileURLToPath(GENERATED_FILE);
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, await renderOpenApiTypes());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
