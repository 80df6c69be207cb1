import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import zhCN from '@/i18n/zh-CN'
import en from '@/i18n/en'

function flat(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : flat(v as Record<string, unknown>, `${prefix}${k}.`)))
}
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.(vue|ts)$/.test(f) ? [p] : []
  })
}

describe('locales', () => {
  it('zh-CN and en have the same keys', () => {
    expect(flat(en).sort()).toEqual(flat(zhCN).sort())
  })

  it('every literal key the code uses exists (zh-CN first)', () => {
    const known = new Set(flat(zhCN))
    const used = new Set<string>()
    for (const f of files(join(__dirname, '../../src'))) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bt\('([a-zA-Z]+(?:\.[a-zA-Z0-9_-]+)+)'/g)) used.add(m[1]!)
      for (const m of text.matchAll(/titleKey: '([a-zA-Z.]+)'/g)) used.add(m[1]!)
    }
    const missing = [...used].filter((k) => !known.has(k))
    expect(missing).toEqual([])
    expect(used.size).toBeGreaterThan(150)
  })
})
