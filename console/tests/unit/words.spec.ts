// Every value the fieldops and letters APIs send in an enum has words in both languages: the
// screens build those keys at run time (t(`fieldops.purposes.${x}`)), which the literal-key check
// in i18n.spec.ts cannot see. The values come from the generated API types.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'

function enumOf(service: string, schema: string): string[] {
  const text = readFileSync(join(__dirname, `../../src/api/schema/${service}.ts`), 'utf8')
  const m = new RegExp(`\\n\\s+${schema}: ((?:"[a-z_]+"(?: \\| )?)+);`).exec(text)
  if (!m) throw new Error(`no enum ${schema} in ${service}.ts`)
  return [...m[1]!.matchAll(/"([a-z_]+)"/g)].map((x) => x[1]!)
}
function group(locale: Record<string, unknown>, path: string): Record<string, string> {
  return path.split('.').reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, locale) as Record<string, string>
}

const CASES: Array<[string, string, string]> = [
  ['fieldops', 'Purpose', 'fieldops.purposes'],
  ['fieldops', 'Outcome', 'fieldops.outcomes'],
  ['fieldops', 'Met', 'fieldops.metWho'],
  ['fieldops', 'NextStep', 'fieldops.nextSteps'],
  ['fieldops', 'EvidenceKind', 'fieldops.evidenceKinds'],
  ['fieldops', 'ApproverRole', 'fieldops.roles'],
  ['letters', 'LetterType', 'letters.types'],
]

describe('words for the values the APIs send', () => {
  it.each(CASES)('%s %s', (service, schema, path) => {
    const values = enumOf(service, schema)
    expect(values.length).toBeGreaterThan(1)
    for (const locale of [zhCN, en]) expect(Object.keys(group(locale, path)).sort()).toEqual(expect.arrayContaining(values))
  })
})
