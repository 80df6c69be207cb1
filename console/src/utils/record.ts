// The contact form (催记录入) against the client's code table (recoup_contact/rules/codes.py): which
// codes fit the channel and the party, which results and statuses a code allows, which fields it
// requires, and the request body (RecordIn) built from what was typed. The service validates
// again and answers field by field; this only shapes the form so that it asks for the right things.
import type { ContactSchemas } from '@/api/clients'
import { amountOrNull } from './worklist'

export type RecordIn = ContactSchemas['schemas']['RecordIn']
export type Channel = RecordIn['channel']
export type Party = RecordIn['party']
export type Result = RecordIn['result']
export type PhoneFound = ContactSchemas['schemas']['PhoneFoundIn']
export type AddressFound = ContactSchemas['schemas']['AddressFoundIn']

export interface Code {
  code: string
  label: string
  results: string[]
  channels: string[]
  parties: string[]
  implies: string | null
  allows: string[]
  requires: string[]
  active: boolean
}
export interface CodeTable {
  client_id: string
  version: number
  effective_from: string
  codes: Code[]
}

/** The channels the form records (visits and letters arrive from fieldops and letters). */
export const FORM_CHANNELS: readonly Channel[] = ['outbound_call', 'inbound_call', 'sms']
export const PARTIES: readonly Party[] = ['debtor', 'contact_person', 'third_party']

const CALL: readonly Result[] = ['connected', 'callback_requested', 'do_not_call_requested', 'no_answer', 'busy',
  'switched_off', 'empty_number', 'suspended', 'wrong_party', 'refused', 'hung_up']
// rules/model.py RESULTS_BY_CHANNEL: an inbound call is answered by us
export const RESULTS_BY_CHANNEL: Record<Channel, readonly Result[]> = {
  outbound_call: CALL,
  inbound_call: ['connected', 'callback_requested', 'do_not_call_requested', 'wrong_party', 'hung_up'],
  sms: ['sms_sent', 'sms_failed'],
}
// rules/codes.py _STATUS_NEEDS: these statuses need these fields whatever the client's table says
const STATUS_NEEDS: Record<string, string> = { PTP: 'promise', PTP_INSTALMENT: 'instalments', DISPUTE: 'dispute_reason' }

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/** The code table as the service sent it (an untyped object in the OpenAPI), checked. */
export function asCodeTable(raw: unknown): CodeTable {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const codes = (Array.isArray(r.codes) ? r.codes : []).flatMap((c): Code[] => {
    if (typeof c !== 'object' || c === null) return []
    const x = c as Record<string, unknown>
    if (typeof x.code !== 'string') return []
    return [{
      code: x.code, label: typeof x.label === 'string' ? x.label : x.code, results: strings(x.results),
      channels: strings(x.channels), parties: strings(x.parties), implies: typeof x.implies === 'string' ? x.implies : null,
      allows: strings(x.allows), requires: strings(x.requires), active: x.active !== false,
    }]
  })
  return {
    client_id: String(r.client_id ?? ''), version: typeof r.version === 'number' ? r.version : 0,
    effective_from: String(r.effective_from ?? ''), codes,
  }
}

/** Active codes that may describe this channel and party. */
export function codesFor(table: CodeTable, channel: Channel, party: Party): Code[] {
  return table.codes.filter((c) => c.active && (!c.channels.length || c.channels.includes(channel))
    && (!c.parties.length || c.parties.includes(party))
    && c.results.some((r) => (RESULTS_BY_CHANNEL[channel] as readonly string[]).includes(r)))
}

/** The results a code allows on a channel. */
export function resultsFor(code: Code | undefined, channel: Channel): Result[] {
  const possible = RESULTS_BY_CHANNEL[channel]
  return code ? possible.filter((r) => code.results.includes(r)) : [...possible]
}

/** The status after the record: the code's, or one of those it allows (empty: any, or unchanged). */
export function statusChoice(code: Code | undefined, all: readonly string[]): { fixed: string | null; options: string[] } {
  if (!code) return { fixed: null, options: [...all] }
  if (code.implies) return { fixed: code.implies, options: [code.implies] }
  return { fixed: null, options: code.allows.length ? [...code.allows] : [...all] }
}

/** The fields the code (and the status it leads to) require. */
export function requiredFields(code: Code | undefined, status: string | null): Set<string> {
  const out = new Set(code?.requires ?? [])
  const need = status ? STATUS_NEEDS[status] : undefined
  if (need) out.add(need)
  return out
}

export interface MoneyDate {
  amount: string
  due_on: string
}
export interface ClaimForm {
  amount: string
  paid_on: string
  channel: string
  proof_ref: string
  note: string
}
export interface FoundForm {
  phones: PhoneFound[]
  addresses: AddressFound[]
  employer: string
}
export interface RecordForm {
  channel: Channel
  party: Party
  point_id: string
  result: Result | ''
  code: string
  status: string
  notes: string
  next_follow_up_on: string
  promise: MoneyDate
  instalments: MoneyDate[]
  settlement: boolean
  waiver_authorisation: string
  /** "YYYY-MM-DD HH:mm" in the debtor's zone */
  callback_at: string
  dispute_reason: string
  found: FoundForm
  claim: ClaimForm
  call_id: string | null
  requested_by_debtor: boolean
}

export function emptyRecord(channel: Channel = 'outbound_call'): RecordForm {
  return {
    channel, party: 'debtor', point_id: '', result: '', code: '', status: '', notes: '', next_follow_up_on: '',
    promise: { amount: '', due_on: '' }, instalments: [{ amount: '', due_on: '' }, { amount: '', due_on: '' }],
    settlement: false, waiver_authorisation: '', callback_at: '', dispute_reason: '',
    found: { phones: [], addresses: [], employer: '' },
    claim: { amount: '', paid_on: '', channel: '', proof_ref: '', note: '' }, call_id: null, requested_by_debtor: false,
  }
}

/** Which parts of the form to show for this code, status and result. */
export function sections(code: Code | undefined, status: string | null, result: string) {
  const req = requiredFields(code, status)
  const plan = req.has('instalments') || status === 'PTP_INSTALMENT'
  return {
    required: req,
    promise: plan ? 'plan' as const : req.has('promise') || status === 'PTP' ? 'single' as const : null,
    callback: req.has('callback_at') || result === 'callback_requested',
    dispute: req.has('dispute_reason') || status === 'DISPUTE',
    found: req.has('new_contact'),
    claim: req.has('claimed_repayment'),
    notesRequired: req.has('notes'),
  }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The UTC offset of `zone` at `at`, in minutes (Asia/Shanghai: 480). */
export function zoneOffsetMinutes(zone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at)
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000)
}

/** "2026-12-01 10:00" on the wall clock of `zone` → ISO 8601 with that zone's offset. */
export function zonedIso(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim())
  if (!m) return null
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number]
  const wall = Date.UTC(y, mo - 1, d, h, mi, s || 0)
  let offset = zoneOffsetMinutes(zone, new Date(wall))
  offset = zoneOffsetMinutes(zone, new Date(wall - offset * 60000)) // across a DST change
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s || 0)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

const txt = (v: string) => (v.trim() ? v.trim() : undefined)
const money = (v: string) => amountOrNull(v) ?? (v.trim() || undefined)

/** The request body. Fields the code does not ask for are left out; what was typed is sent as
 *  typed (a wrong amount comes back as the service's field error, never silently dropped). */
export function buildRecord(form: RecordForm, code: Code | undefined, zone: string): RecordIn {
  const status = code?.implies ?? (form.status || null)
  const s = sections(code, status, form.result)
  const body: RecordIn = {
    channel: form.channel, party: form.party, result: form.result as Result, code: form.code,
    notes: form.notes.trim(),
  }
  if (form.point_id) body.point_id = form.point_id
  if (!code?.implies && form.status) body.status = form.status as RecordIn['status']
  if (form.next_follow_up_on) body.next_follow_up_on = form.next_follow_up_on
  if (form.call_id) body.call_id = form.call_id
  if (form.requested_by_debtor) body.requested_by_debtor = true
  if (s.promise) {
    const extra = { settlement: form.settlement, waiver_authorisation: txt(form.waiver_authorisation) }
    const single = form.promise.amount.trim() || form.promise.due_on
    // nothing typed: no promise, and the service names the field the code requires
    if (s.promise === 'plan') body.promise = { instalments: form.instalments.map((i) => ({ amount: money(i.amount) ?? '', due_on: i.due_on })), ...extra }
    else if (single) body.promise = { amount: money(form.promise.amount), due_on: form.promise.due_on || undefined, ...extra }
  }
  if (s.callback && form.callback_at) body.callback_at = zonedIso(form.callback_at, zone) ?? form.callback_at
  if (s.dispute) body.dispute_reason = txt(form.dispute_reason)
  const found = foundBody(form.found)
  if (found) body.found = found
  if (s.claim) {
    const c = form.claim
    body.claimed_payment = {
      amount: money(c.amount) ?? '', paid_on: c.paid_on, channel: txt(c.channel), proof_ref: txt(c.proof_ref), note: txt(c.note),
    }
  }
  return body
}

/** Skip-trace findings worth sending (rows left empty are dropped); null when there are none. */
export function foundBody(f: FoundForm): RecordIn['found'] {
  const phones = f.phones.filter((p) => p.number.trim()).map((p) => ({ ...p, number: p.number.trim(), name: p.name?.trim() || undefined }))
  const addresses = f.addresses.filter((a) => a.line.trim()).map((a) => ({
    ...a, line: a.line.trim(), province: a.province?.trim() || undefined, city: a.city?.trim() || undefined,
    district: a.district?.trim() || undefined, employer: a.employer?.trim() || undefined,
  }))
  const employer = f.employer.trim()
  if (!phones.length && !addresses.length && !employer) return null
  return { phones, addresses, employer: employer || undefined }
}
