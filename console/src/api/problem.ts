// application/problem+json (RFC 9457) as every Recoup service answers errors
// (shared/recoup_shared/errors.py): type, title, status, detail, errors[{field, reason}].
// Two services add to it: letters' template checker answers errors[{field, line, code, message}]
// (kept, `message` as the reason), and a compliance refusal carries `reasons` (rule, ref,
// detail, limit, count, next_allowed) and `next_allowed` (complianceReasons below).

export interface FieldError {
  field: string
  reason: string
  /** the line of an uploaded source the error is on (letters' templates) */
  line?: number | null
  /** a stable code of the error (letters' templates: e.g. `unknown_variable`) */
  code?: string
}

/** One reason of the shared compliance engine (recoup_shared.compliance Reason.to_dict). */
export interface ComplianceReason {
  rule: string
  ref?: string
  detail?: string
  limit?: number | null
  count?: number | null
  zone?: string | null
  next_allowed?: string | null
}

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  errors?: FieldError[]
  [extra: string]: unknown
}

export const TYPE_BASE = 'https://recoup.example/problems/'

export function isProblem(x: unknown): x is Problem {
  if (typeof x !== 'object' || x === null) return false
  const p = x as Record<string, unknown>
  return typeof p.title === 'string' && typeof p.status === 'number'
}

/** The slug of a problem type: "https://recoup.example/problems/not-found" → "not-found". */
export function problemSlug(p: Problem): string {
  const t = typeof p.type === 'string' ? p.type : ''
  return t.startsWith(TYPE_BASE) ? t.slice(TYPE_BASE.length) : t || 'about:blank'
}

/** Any error answer as a Problem: a body that is not problem+json gets one made from the status. */
export function toProblem(status: number, body: unknown, statusText = ''): Problem {
  if (isProblem(body)) {
    const errors = Array.isArray(body.errors) ? body.errors.flatMap(fieldError) : undefined
    return { ...body, errors }
  }
  const detail = typeof body === 'string' && body.trim() ? body.trim().slice(0, 500) : undefined
  return { type: 'about:blank', title: statusText || `HTTP ${status}`, status, detail }
}

function fieldError(e: unknown): FieldError[] {
  if (typeof e !== 'object' || e === null) return []
  const r = e as Record<string, unknown>
  const reason = typeof r.reason === 'string' ? r.reason : typeof r.message === 'string' ? r.message : null
  if (typeof r.field !== 'string' || reason === null) return []
  const out: FieldError = { field: r.field, reason }
  if (typeof r.line === 'number' || r.line === null) out.line = r.line as number | null
  if (typeof r.code === 'string') out.code = r.code
  return [out]
}

/** The compliance engine's reasons in a refusal (409), if the problem has them. */
export function complianceReasons(p: Problem): ComplianceReason[] {
  const raw = p.reasons
  if (!Array.isArray(raw)) return []
  return raw.filter((r): r is ComplianceReason => typeof r === 'object' && r !== null && typeof (r as ComplianceReason).rule === 'string')
}

export class ApiError extends Error {
  readonly problem: Problem
  readonly correlationId: string | null

  constructor(problem: Problem, correlationId: string | null = null) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title)
    this.name = 'ApiError'
    this.problem = problem
    this.correlationId = correlationId
  }

  get status(): number {
    return this.problem.status
  }

  get slug(): string {
    return problemSlug(this.problem)
  }
}

/** The network failed before any answer (status 0). */
export function networkProblem(err: unknown): Problem {
  const detail = err instanceof Error ? err.message : String(err)
  return { type: TYPE_BASE + 'network', title: 'Network error', status: 0, detail }
}

/**
 * Field errors by form field. A form names the fields it shows (`known`); an error about a field
 * path inside one (`buckets[0].base_rate` under `buckets`) is kept under its full path and its
 * nearest shown parent, so the form can put it beside the right input. Errors about fields the
 * form does not show come back in `other`, to be listed above the form.
 */
export function fieldErrors(
  problem: Problem,
  known: readonly string[] = [],
): { byField: Record<string, string>; other: FieldError[] } {
  const byField: Record<string, string> = {}
  const other: FieldError[] = []
  const add = (key: string, reason: string) => {
    byField[key] = byField[key] ? `${byField[key]}; ${reason}` : reason
  }
  for (const e of problem.errors ?? []) {
    const field = e.field.replace(/^body\.?/, '') || 'body'
    add(field, e.reason)
    const parent = known.filter((k) => field === k || field.startsWith(k + '.') || field.startsWith(k + '['))
      .sort((a, b) => b.length - a.length)[0]
    if (parent !== undefined) {
      if (parent !== field) add(parent, e.reason)
    } else if (known.length) {
      other.push({ field, reason: e.reason })
    }
  }
  return { byField, other }
}
