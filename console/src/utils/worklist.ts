// The worklist's filters between three places: the form, the page's address (so a filter
// can be linked to, e.g. from the home page's due list — nothing personal goes there: statuses,
// amounts, buckets, a client id) and contact's GET /v1/worklist query.
import type { ContactSchemas } from '@/api/clients'

export type ContactStatus = ContactSchemas['schemas']['ContactStatus']
export type Scope = 'own' | 'team' | 'all'
export type Sort = 'follow_up' | 'amount' | 'effective'

export const STATUSES: readonly ContactStatus[] = [
  'PTP', 'PTP_INSTALMENT', 'BROKEN_PTP', 'REACHABLE_SELF', 'REACHABLE_THIRD_PARTY', 'NO_ANSWER', 'LOST_CONTACT',
  'SKIP_TRACE', 'FOUND', 'DECEASED', 'INCARCERATED', 'FRAUD_CLAIM', 'DISPUTE', 'NIGHT_FOLLOW_UP', 'URGENT',
  'FIELD_VISIT_REQUESTED', 'FIELD_VISIT_DONE',
]
export const BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6+'] as const
export type Bucket = (typeof BUCKETS)[number]
export const FLAGS = ['complaint_history', 'dispute', 'fraud_claim', 'stolen_card', 'do_not_contact', 'special_population'] as const
export type Flag = (typeof FLAGS)[number]
export const SORTS: readonly Sort[] = ['follow_up', 'amount', 'effective']
const SWITCHES = ['due_today', 'overdue', 'never_contacted', 'ptp_due'] as const
export type Switch = (typeof SWITCHES)[number]

export interface WorklistFilter {
  scope: Scope
  collector: string
  team: string
  status: ContactStatus[]
  due_today: boolean
  overdue: boolean
  never_contacted: boolean
  ptp_due: boolean
  amount_min: string
  amount_max: string
  dpd_bucket: Bucket[]
  client: string
  flag: Flag[]
  recall_within: number | null
  sort: Sort
}

export function emptyFilter(scope: Scope = 'own'): WorklistFilter {
  return {
    scope, collector: '', team: '', status: [], due_today: false, overdue: false, never_contacted: false, ptp_due: false,
    amount_min: '', amount_max: '', dpd_bucket: [], client: '', flag: [], recall_within: null, sort: 'follow_up',
  }
}

/** The widest list a role is given: a collector their own, a team lead the team, managers all. */
export function defaultScope(roles: readonly string[]): Scope {
  if (roles.some((r) => ['supervisor', 'admin', 'auditor', 'data_specialist'].includes(r))) return 'all'
  if (roles.includes('team_lead')) return 'team'
  return 'own'
}

const AMOUNT = /^\d{1,13}(\.\d{1,2})?$/

/** A money bound as typed: digits with at most two decimals, or nothing. */
export function amountOrNull(v: string): string | null {
  const s = v.trim().replace(/,/g, '')
  return AMOUNT.test(s) ? s : null
}

export interface WorklistQuery {
  scope: Scope
  collector_id?: string
  team_id?: string
  status?: ContactStatus[]
  due_today?: boolean
  overdue?: boolean
  never_contacted?: boolean
  ptp_due?: boolean
  amount_min?: string
  amount_max?: string
  dpd_bucket?: Bucket[]
  client_id?: string
  flag?: Flag[]
  recall_within?: number
  sort: Sort
}

/** The API's query: only what narrows the list (defaults left out). */
export function toApiQuery(f: WorklistFilter): WorklistQuery {
  const q: WorklistQuery = { scope: f.scope, sort: f.sort }
  if (f.collector.trim()) q.collector_id = f.collector.trim()
  if (f.team.trim() && f.scope !== 'own') q.team_id = f.team.trim()
  if (f.status.length) q.status = [...f.status]
  for (const s of SWITCHES) if (f[s]) q[s] = true
  const min = amountOrNull(f.amount_min)
  const max = amountOrNull(f.amount_max)
  if (min !== null) q.amount_min = min
  if (max !== null) q.amount_max = max
  if (f.dpd_bucket.length) q.dpd_bucket = [...f.dpd_bucket]
  if (f.client.trim()) q.client_id = f.client.trim()
  if (f.flag.length) q.flag = [...f.flag]
  if (f.recall_within !== null && Number.isInteger(f.recall_within) && f.recall_within >= 0) q.recall_within = f.recall_within
  return q
}

type RouteQuery = Record<string, string | (string | null)[] | null | undefined>

function list(v: RouteQuery[string]): string[] {
  if (v === undefined || v === null) return []
  return (Array.isArray(v) ? v : [v]).flatMap((x) => (x ? x.split(',') : [])).filter(Boolean)
}
function one(v: RouteQuery[string]): string {
  return list(v)[0] ?? ''
}

/** The filter in the page's address (short keys, comma lists); unknown values are dropped. */
export function toRouteQuery(f: WorklistFilter, base: Scope): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.scope !== base) out.scope = f.scope
  if (f.collector) out.collector = f.collector
  if (f.team) out.team = f.team
  if (f.status.length) out.status = f.status.join(',')
  for (const s of SWITCHES) if (f[s]) out[s] = '1'
  if (amountOrNull(f.amount_min) !== null) out.min = amountOrNull(f.amount_min)!
  if (amountOrNull(f.amount_max) !== null) out.max = amountOrNull(f.amount_max)!
  if (f.dpd_bucket.length) out.dpd = f.dpd_bucket.join(',')
  if (f.client) out.client = f.client
  if (f.flag.length) out.flag = f.flag.join(',')
  if (f.recall_within !== null) out.recall = String(f.recall_within)
  if (f.sort !== 'follow_up') out.sort = f.sort
  return out
}

export function fromRouteQuery(q: RouteQuery, base: Scope): WorklistFilter {
  const f = emptyFilter(base)
  const scope = one(q.scope)
  if (scope === 'own' || scope === 'team' || scope === 'all') f.scope = scope
  f.collector = one(q.collector)
  f.team = one(q.team)
  f.status = list(q.status).filter((s): s is ContactStatus => (STATUSES as readonly string[]).includes(s))
  for (const s of SWITCHES) f[s] = one(q[s]) === '1' || one(q[s]) === 'true'
  f.amount_min = amountOrNull(one(q.min)) ?? ''
  f.amount_max = amountOrNull(one(q.max)) ?? ''
  f.dpd_bucket = list(q.dpd).filter((b): b is Bucket => (BUCKETS as readonly string[]).includes(b))
  f.client = one(q.client)
  f.flag = list(q.flag).filter((x): x is Flag => (FLAGS as readonly string[]).includes(x))
  const recall = one(q.recall)
  f.recall_within = /^\d{1,3}$/.test(recall) && Number(recall) <= 365 ? Number(recall) : null
  const sort = one(q.sort)
  if ((SORTS as readonly string[]).includes(sort)) f.sort = sort as Sort
  return f
}

/** R-24 colours as the API names them: the row's class and the words' key. */
export const COLOURS = ['green', 'yellow', 'red', 'black', 'grey'] as const
export function colourClass(colour: string): string {
  return (COLOURS as readonly string[]).includes(colour) ? `wl-${colour}` : 'wl-grey'
}

/** j/k or the arrows move the selection, Enter opens; other keys do nothing (null). */
export function moveSelection(key: string, current: number, length: number): number | 'open' | null {
  if (length === 0) return null
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return Math.min(length - 1, current < 0 ? 0 : current + 1)
    case 'k':
    case 'ArrowUp':
      return Math.max(0, current < 0 ? 0 : current - 1)
    case 'Home':
      return 0
    case 'End':
      return length - 1
    case 'Enter':
      return current >= 0 && current < length ? 'open' : null
    default:
      return null
  }
}
