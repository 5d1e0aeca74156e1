// Writes the @fastify/swagger document of fastify/app.mjs. Usage: node emit_fastify.mjs OUT_DIR
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from './fastify/app.mjs';

const app = await build();
writeFileSync(join(process.argv[2], 'fastify-swagger.json'), JSON.stringify(app.swagger(), null, 2) + '\n');
await app.close();
