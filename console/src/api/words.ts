// A problem in words for the user: the headline by problem type (or status) in their language,
// then the service's own explanation.
import type { ApiError } from './problem'

type T = (key: string, named?: Record<string, unknown>) => string
type TE = (key: string) => boolean

const BY_STATUS: Record<number, string> = {
  0: 'network', 400: 'bad-request', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found',
  409: 'conflict', 413: 'payload-too-large', 415: 'unsupported-media-type', 422: 'validation-error',
  502: 'bad-gateway', 503: 'service-unavailable', 504: 'bad-gateway',
}

export function problemText(err: ApiError, t: T, te: TE): { headline: string; detail: string | null } {
  const slug = err.slug
  const byStatus = BY_STATUS[err.status] ?? (err.status >= 500 ? 'server-error' : 'bad-request')
  const key = te(`problem.types.${slug}`) ? `problem.types.${slug}` : `problem.types.${byStatus}`
  const headline = te(key) ? t(key) : err.problem.title
  const detail = err.problem.detail ?? (headline !== err.problem.title ? err.problem.title : null)
  return { headline, detail }
}
