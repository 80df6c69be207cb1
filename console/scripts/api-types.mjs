// src/api/schema/<service>.ts from OpenAPI documents: node scripts/api-types.mjs <json-dir> <out-dir>
// The documents come from the services' app objects (`recoup console api-types` writes them).
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, basename } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'

const [src, out] = process.argv.slice(2)
if (!src || !out) {
  console.error('usage: node scripts/api-types.mjs <json-dir> <out-dir>')
  process.exit(2)
}
mkdirSync(out, { recursive: true })
for (const file of readdirSync(src).filter((f) => f.endsWith('.json')).sort()) {
  const name = basename(file, '.json')
  const doc = JSON.parse(readFileSync(join(src, file), 'utf8'))
  const ast = await openapiTS(doc, { alphabetize: true, defaultNonNullable: false })
  const header = `// Generated from the ${name} service's OpenAPI by \`recoup console api-types\`. Do not edit.\n`
  writeFileSync(join(out, `${name}.ts`), header + astToString(ast))
  console.log(`${name}: ${Object.keys(doc.paths).length} paths`)
}
