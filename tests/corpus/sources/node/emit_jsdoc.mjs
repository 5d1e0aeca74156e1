// Writes the swagger-jsdoc document from the @openapi blocks of jsdoc/routes.js.
// Usage: node emit_jsdoc.mjs OUT_DIR
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import swaggerJsdoc from 'swagger-jsdoc';

const here = dirname(fileURLToPath(import.meta.url));
const spec = swaggerJsdoc({
  definition: {
    openapi: '3.0.0',
    info: { title: 'Cannon Studio API', version: '1.0.0' },
    servers: [{ url: 'https://www.cannonstudio.app' }],
  },
  apis: [join(here, 'jsdoc', 'routes.js')],
});
writeFileSync(join(process.argv[2], 'swagger-jsdoc.json'), JSON.stringify(spec, null, 2) + '\n');
