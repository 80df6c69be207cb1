// Quality inspection (质检, R-48) on the quality screen: the weeks of the sample, the verdict's body
// and what the service will refuse in it (recoup_contact/rules/quality.py verdict_errors: the
// service decides, the form only says it first), the violations table's columns.

export const FINDING_KINDS = [
  'record_mismatch', 'third_party_disclosure', 'abusive_language', 'impersonation', 'unauthorised_waiver', 'other',
] as const
export type FindingKind = (typeof FINDING_KINDS)[number]
export type Verdict = 'passed' | 'failed'
export const ITEM_STATES = ['open', 'passed', 'failed'] as const

export interface FindingRow { kind: FindingKind | ''; note: string }
export interface VerdictForm { verdict: Verdict | ''; findings: FindingRow[]; note: string }

export function emptyVerdict(): VerdictForm {
  return { verdict: '', findings: [], note: '' }
}

/** The Monday (YYYY-MM-DD) of the week a day (YYYY-MM-DD) is in: the sample's `week_start`. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  const back = (d.getUTCDay() + 6) % 7
  d.setUTCDate(d.getUTCDate() - back)
  return d.toISOString().slice(0, 10)
}

/** The last `n` weeks (Mondays, newest first) up to the week of `today` (YYYY-MM-DD). */
export function recentWeeks(today: string, n = 8): string[] {
  const first = new Date(`${mondayOf(today)}T00:00:00Z`)
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(first)
    d.setUTCDate(d.getUTCDate() - 7 * i)
    return d.toISOString().slice(0, 10)
  })
}

/** The verdict as the API takes it: findings only with `failed`, notes trimmed, empty note null. */
export function verdictBody(form: VerdictForm): { verdict: Verdict; findings: { kind: FindingKind; note: string | null }[]; note: string | null } | null {
  if (!form.verdict) return null
  const findings = form.verdict === 'failed'
    ? form.findings.filter((f): f is FindingRow & { kind: FindingKind } => f.kind !== '')
      .map((f) => ({ kind: f.kind, note: f.note.trim() || null }))
    : []
  return { verdict: form.verdict, findings, note: form.note.trim() || null }
}

export type VerdictProblem = 'verdictRequired' | 'needsFinding' | 'needsNote'

/** What the service will answer 422 about, keyed as its fields are (`findings[1].note`), as the
 *  words' keys (compliance.<problem>). */
export function verdictProblems(form: VerdictForm): Record<string, VerdictProblem> {
  const out: Record<string, VerdictProblem> = {}
  if (!form.verdict) out.verdict = 'verdictRequired'
  if (form.verdict === 'failed') {
    if (!form.findings.some((f) => f.kind)) out.findings = 'needsFinding'
    form.findings.forEach((f, i) => {
      if (f.kind === 'other' && !f.note.trim()) out[`findings[${i}].note`] = 'needsNote'
    })
  }
  return out
}

export interface CollectorViolations {
  collector_id: string
  findings: Record<string, number>
  refusals: Record<string, number>
  mismatches: Record<string, number>
  refused_attempts: number
  total: number
}

/** The kinds seen in a month for one part of the table (its columns), sorted. */
export function kindsOf(rows: readonly CollectorViolations[], part: 'findings' | 'refusals' | 'mismatches'): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r[part] ?? {})))].sort()
}

/** The month's sums per column: the table's last row. */
export function violationTotals(rows: readonly CollectorViolations[]): CollectorViolations {
  const sum = (part: 'findings' | 'refusals' | 'mismatches') => {
    const out: Record<string, number> = {}
    for (const r of rows) for (const [k, n] of Object.entries(r[part] ?? {})) out[k] = (out[k] ?? 0) + n
    return out
  }
  return {
    collector_id: '', findings: sum('findings'), refusals: sum('refusals'), mismatches: sum('mismatches'),
    refused_attempts: rows.reduce((a, r) => a + r.refused_attempts, 0), total: rows.reduce((a, r) => a + r.total, 0),
  }
}

/** The record's side of an item (what the contact was) as the queue's rows carry it. */
export const RECORD_FIELDS = ['channel', 'party', 'code', 'result', 'notes', 'recording_uri', 'answered', 'talk_seconds'] as const

/** An item as `GET /inspections/{id}` answers it (state, verdict, findings: the truth) with the
 *  record's fields that answer leaves empty taken from the queue's row of the same item. */
export function withRecord<T extends { item_id: string } & Partial<Record<(typeof RECORD_FIELDS)[number], unknown>>>(item: T, row: Partial<T> | null | undefined): T {
  if (!row || row.item_id !== item.item_id) return item
  const out = { ...item }
  for (const k of RECORD_FIELDS) {
    if ((out[k] === null || out[k] === undefined) && row[k] !== undefined) (out as Record<string, unknown>)[k] = row[k]
  }
  return out
}
