// Writes the zod-to-openapi documents: 3.0 and 3.1, as JSON, and as YAML from two writers
// (the `yaml` package, YAML 1.2, and `js-yaml`). Usage: node emit_zod.mjs OUT_DIR
import { OpenApiGeneratorV3, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as jsYaml from 'js-yaml';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { registry } from './zod_api.mjs';

const out = process.argv[2];
const info = { title: 'Cannon Studio API', version: '1.0.0' };
const servers = [{ url: 'https://www.cannonstudio.app' }];
const v30 = new OpenApiGeneratorV3(registry.definitions).generateDocument({ openapi: '3.0.3', info, servers });
const v31 = new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: '3.1.0', info, servers });
writeFileSync(join(out, 'zod-to-openapi-3.0.json'), JSON.stringify(v30, null, 2) + '\n');
writeFileSync(join(out, 'zod-to-openapi-3.1.json'), JSON.stringify(v31, null, 2) + '\n');
writeFileSync(join(out, 'zod-to-openapi-3.1.yaml'), YAML.stringify(v31));
writeFileSync(join(out, 'zod-to-openapi-3.0.js-yaml.yaml'), jsYaml.dump(v30));
