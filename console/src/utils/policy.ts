// The stored contact policy (contact's levels system → client → placement → case, R-14..R-18) on
// the policies screen: a level's values as the API sends them (nested) ↔ the editor's form, what a
// version changed, a value in words. The service validates the level whole (422 with each field);
// nothing here second-guesses it beyond turning the inputs into JSON.

export type Values = Record<string, unknown>
export const LEVELS = ['default', 'system', 'client', 'placement', 'case'] as const
export type LevelName = (typeof LEVELS)[number]
export type StoredLevel = 'system' | 'client' | 'placement'

/** R-14's calling windows per weekday and on public holidays ("08:00-21:00", several allowed). */
export const WINDOW_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] as const
/** The R-15 caps the editor shows as inputs (any other key goes through "other values"). */
export const CAP_KEYS = [
  'caps.effective_calls_per_day', 'caps.call_attempts_per_day', 'caps.sms_per_day',
  'caps.calls_per_contact_point_per_day', 'caps.min_minutes_between_calls',
] as const
/** recoup_shared.compliance.keys: the preset is an agency or a client choice, not a placement's. */
export const PRESETS = ['cn_default', 'us_regf'] as const

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Nested values → dotted keys; lists and null are values, objects are followed. */
export function flatten(values: Values, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (isPlainObject(v) && Object.keys(v).length > 0) Object.assign(out, flatten(v, key))
    else out[key] = v
  }
  return out
}

/** Dotted keys → nested values (the shape the API documents). */
export function unflatten(flat: Record<string, unknown>): Values {
  const out: Values = {}
  for (const [key, v] of Object.entries(flat)) {
    const parts = key.split('.')
    let node: Record<string, unknown> = out
    for (const p of parts.slice(0, -1)) {
      if (!isPlainObject(node[p])) node[p] = {}
      node = node[p] as Record<string, unknown>
    }
    node[parts[parts.length - 1]!] = v
  }
  return out
}

export interface LevelForm {
  preset: string
  zone: string
  windows: Record<string, string>
  caps: Record<string, string>
  /** the level's other values as JSON (nested), '' for none */
  other: string
  reason: string
}

const isWindowList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

/** A level's stored values in the editor: the keys it has inputs for in them, the rest as JSON. */
export function toForm(values: Values): LevelForm {
  const flat = flatten(values)
  const form: LevelForm = {
    preset: '', zone: '', other: '', reason: '',
    windows: Object.fromEntries(WINDOW_DAYS.map((d) => [d, ''])),
    caps: Object.fromEntries(CAP_KEYS.map((k) => [k, ''])),
  }
  const rest: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(flat)) {
    const day = key.startsWith('windows.') ? key.slice('windows.'.length) : null
    if (day !== null && (WINDOW_DAYS as readonly string[]).includes(day) && isWindowList(v) && v.length) form.windows[day] = v.join(', ')
    else if ((CAP_KEYS as readonly string[]).includes(key) && isCount(v)) form.caps[key] = String(v)
    else if (key === 'preset' && typeof v === 'string') form.preset = v
    else if (key === 'zone.default' && typeof v === 'string') form.zone = v
    else rest[key] = v
  }
  form.other = Object.keys(rest).length ? JSON.stringify(unflatten(rest), null, 2) : ''
  return form
}

/** "09:00-12:00, 14:00-20:00" (commas, 、 or spaces) → ["09:00-12:00", "14:00-20:00"]. */
export function parseWindows(text: string): string[] {
  return text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean)
}

export type FormResult = { values: Values; error: null } | { values: null; error: string }

/** The editor's form → the level's values for PUT (the whole level: a new version replaces it).
 *  An empty input leaves the key out (inherited from the level above). A cap that is not a whole
 *  number is sent as typed, so the service's 422 names it beside its input. */
export function fromForm(form: LevelForm): FormResult {
  let rest: Record<string, unknown> = {}
  if (form.other.trim()) {
    let parsed: unknown
    try {
      parsed = JSON.parse(form.other)
    } catch (e) {
      return { values: null, error: e instanceof Error ? e.message : String(e) }
    }
    if (!isPlainObject(parsed)) return { values: null, error: 'not a JSON object' }
    rest = flatten(parsed)
  }
  const flat: Record<string, unknown> = { ...rest }
  if (form.preset) flat.preset = form.preset
  if (form.zone.trim()) flat['zone.default'] = form.zone.trim()
  for (const day of WINDOW_DAYS) {
    const list = parseWindows(form.windows[day] ?? '')
    if (list.length) flat[`windows.${day}`] = list
  }
  for (const key of CAP_KEYS) {
    const raw = (form.caps[key] ?? '').trim()
    if (raw) flat[key] = /^-?\d+$/.test(raw) ? Number(raw) : raw
  }
  return { values: unflatten(flat), error: null }
}

/** The fields of the editor the service's 422 may name (`values.windows.mon[0]` lands on mon). */
export const FORM_FIELDS: readonly string[] = [
  'reason', 'values.preset', 'values.zone.default',
  ...WINDOW_DAYS.map((d) => `values.windows.${d}`), ...CAP_KEYS.map((k) => `values.${k}`),
]

/** What a version changed against the one before it: dotted keys added, changed or removed. */
export function changedKeys(before: Values | null | undefined, after: Values): { added: string[]; changed: string[]; removed: string[] } {
  const a = flatten(before ?? {})
  const b = flatten(after)
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y)
  return {
    added: Object.keys(b).filter((k) => !(k in a)).sort(),
    changed: Object.keys(b).filter((k) => k in a && !same(a[k], b[k])).sort(),
    removed: Object.keys(a).filter((k) => !(k in b)).sort(),
  }
}

/** A policy value in a table cell: windows joined, null as "none", objects as compact JSON. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return '∅'
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : '[]'
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** The rule group of a key, for grouping the explained policy: "caps.sms_per_day" → "caps". */
export function groupOf(key: string): string {
  return key.split('.')[0] ?? key
}
