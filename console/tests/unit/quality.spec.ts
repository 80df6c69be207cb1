import { describe, expect, it } from 'vitest'
import { type CollectorViolations, emptyVerdict, withRecord, kindsOf, mondayOf, recentWeeks, verdictBody, verdictProblems, violationTotals } from '@/utils/quality'

describe('the inspection queue (R-48)', () => {
  it('knows the week a day is in (Monday first) and the recent weeks', () => {
    expect(mondayOf('2026-12-05')).toBe('2026-11-30')   // a Saturday
    expect(mondayOf('2026-11-30')).toBe('2026-11-30')
    expect(mondayOf('2026-12-06')).toBe('2026-11-30')   // Sunday ends the week
    expect(mondayOf('2027-01-01')).toBe('2026-12-28')
    expect(recentWeeks('2026-12-05', 3)).toEqual(['2026-11-30', '2026-11-23', '2026-11-16'])
  })

  it("builds the verdict's body: findings only when failed", () => {
    expect(verdictBody(emptyVerdict())).toBeNull()
    const form = { verdict: 'failed' as const, findings: [{ kind: 'other' as const, note: '  称自己是法院的 ' }, { kind: '' as const, note: 'x' }], note: '' }
    expect(verdictBody(form)).toEqual({ verdict: 'failed', findings: [{ kind: 'other', note: '称自己是法院的' }], note: null })
    expect(verdictBody({ ...form, verdict: 'passed', note: ' ok ' })).toEqual({ verdict: 'passed', findings: [], note: 'ok' })
  })

  it('says first what the service refuses: failed without findings, other without a note', () => {
    expect(verdictProblems(emptyVerdict())).toEqual({ verdict: 'verdictRequired' })
    expect(verdictProblems({ verdict: 'passed', findings: [], note: '' })).toEqual({})
    expect(Object.keys(verdictProblems({ verdict: 'failed', findings: [], note: '' }))).toEqual(['findings'])
    expect(verdictProblems({ verdict: 'failed', findings: [{ kind: 'abusive_language', note: '' }, { kind: 'other', note: ' ' }], note: '' }))
      .toEqual({ 'findings[1].note': 'needsNote' })
  })
})

describe('violations per collector per month', () => {
  const rows: CollectorViolations[] = [
    { collector_id: 'c1', findings: { abusive_language: 1 }, refusals: { 'R-14': 2, 'R-15': 1 }, mismatches: {}, refused_attempts: 2, total: 3 },
    { collector_id: 'c2', findings: { other: 1, abusive_language: 2 }, refusals: {}, mismatches: { call_without_record: 1 }, refused_attempts: 0, total: 4 },
  ]
  it('has a column per kind seen and a total row', () => {
    expect(kindsOf(rows, 'findings')).toEqual(['abusive_language', 'other'])
    expect(kindsOf(rows, 'refusals')).toEqual(['R-14', 'R-15'])
    expect(kindsOf([], 'mismatches')).toEqual([])
    expect(violationTotals(rows)).toEqual({ collector_id: '', findings: { abusive_language: 3, other: 1 }, refusals: { 'R-14': 2, 'R-15': 1 },
      mismatches: { call_without_record: 1 }, refused_attempts: 2, total: 7 })
  })
})

describe("an item's drawer", () => {
  it("takes the record's fields from the queue's row when the item's own answer has none", () => {
    const item: Record<string, string | null> & { item_id: string } = { item_id: 'i1', state: 'failed', channel: null, notes: null, code: 'RS' }
    const row = { item_id: 'i1', state: 'open', channel: 'inbound_call', notes: '来电', code: 'XX' }
    expect(withRecord(item, row)).toEqual({ item_id: 'i1', state: 'failed', channel: 'inbound_call', notes: '来电', code: 'RS' })
    expect(withRecord(item, { ...row, item_id: 'other' })).toBe(item)
    expect(withRecord(item, null)).toBe(item)
  })
})
