#!/usr/bin/env bash
# Re-emit the corpus documents from the sources beside this script, with the generators pinned
# in sources/node/package-lock.json and sources/python/requirements.txt. Needs node (20+) and
# npm, Python 3.11+ and network access to npm and PyPI. The tests read the committed outputs
# in documents/; they never run this script (CI needs no node). Never edit documents/ by hand.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/documents"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# TypeScript/JavaScript generators: zod-to-openapi (3.0 and 3.1; JSON, and YAML from the `yaml`
# and `js-yaml` writers), swagger-jsdoc, Fastify + @fastify/swagger with TypeBox.
cp -r "$here/sources/node/." "$work/node"
(cd "$work/node" && npm ci --no-audit --no-fund --silent)
node "$work/node/emit_zod.mjs" "$out"
node "$work/node/emit_jsdoc.mjs" "$out"
node "$work/node/emit_fastify.mjs" "$out"

# Python generators: FastAPI + pydantic 2 (default and custom operation ids), Litestar.
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet -r "$here/sources/python/requirements.txt"
(cd "$here/sources/python" && PYTHONDONTWRITEBYTECODE=1 "$work/venv/bin/python" emit.py "$out")
ls -l "$out"
