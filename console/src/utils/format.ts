// Display helpers. Money arrives from the APIs as decimal strings and is formatted as a string:
// never through a float.

/** "1234567.5" → "1,234,567.50"; null/undefined → "—". Keeps the sign and rounds nothing away
 *  except padding to two decimals (the services send at most two). */
export function money(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—'
  const s = typeof v === 'number' ? v.toFixed(2) : v.trim()
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s)
  if (!m) return s
  const [, sign = '', int = '0', frac = ''] = m
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${sign}${grouped}.${(frac + '00').slice(0, Math.max(2, frac.length))}`
}

/** A decimal string in cents (BigInt), rounded half up past two places; null if not a number. */
export function toCents(v: string | number | null | undefined): bigint | null {
  if (v === null || v === undefined) return null
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(v).trim())
  if (!m) return null
  const frac = (m[3] ?? '') + '000'
  let c = BigInt(m[2] ?? '0') * 100n + BigInt(frac.slice(0, 2))
  if (Number(frac[2]) >= 5) c += 1n
  return m[1] === '-' ? -c : c
}

export function fromCents(cents: bigint): string {
  const neg = cents < 0n
  const abs = neg ? -cents : cents
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`
}

/** a − b of decimal strings, exactly. */
export function subMoney(a: string | null | undefined, b: string | null | undefined): string {
  return fromCents((toCents(a) ?? 0n) - (toCents(b) ?? 0n))
}

/** Sum of decimal strings, exactly (in cents as BigInt). */
export function sumMoney(values: Array<string | null | undefined>): string {
  let cents = 0n
  for (const v of values) cents += toCents(v) ?? 0n
  return fromCents(cents)
}

/** A rate "0.4444" → "44.44%"; already a percent string passes through. */
export function pct(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'string' && v.endsWith('%')) return v
  const s = String(v)
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s)
  if (!m) return s
  // move the decimal point two places without floating point
  const digits = (m[2] ?? '0') + ((m[3] ?? '') + '00')
  const intLen = (m[2] ?? '0').length + 2
  const int = digits.slice(0, intLen).replace(/^0+(?=\d)/, '')
  const frac = digits.slice(intLen).replace(/0+$/, '')
  return `${m[1]}${int}${frac ? '.' + frac.slice(0, 2) : ''}%`
}

const tz = 'Asia/Shanghai'

// one formatter per zone: building an Intl.DateTimeFormat costs more than formatting with it, and a
// list page formats hundreds of moments
const formatters = new Map<string, Intl.DateTimeFormat>()

export function dateTime(iso: string | null | undefined, timeZone = tz): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('zh-CN', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
    })
    formatters.set(timeZone, f)
  }
  return f.format(d).replace(/\//g, '-')
}

/** 3725 → "1h 2m 5s" style, compact: "1小时2分" is left to i18n; seconds only here. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  if (h > 0) return `${h}h ${m}m`
  if (m > 0) return `${m}m ${r}s`
  return `${r}s`
}

/** The current month in the business zone as YYYY-MM. */
export function thisMonth(now = new Date(), timeZone = tz): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(now)
  const y = parts.find((p) => p.type === 'year')?.value ?? '1970'
  const mo = parts.find((p) => p.type === 'month')?.value ?? '01'
  return `${y}-${mo}`
}

export function today(now = new Date(), timeZone = tz): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** The browser's time zone: the collector's own clock (the debtor's may differ). */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || tz
  } catch {
    return tz
  }
}
