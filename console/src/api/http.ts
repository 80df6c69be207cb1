// The one fetch wrapper: every call goes to /api/<service>/..., carries the bearer token and a
// correlation id, and turns error answers (problem+json) into an ApiError. The typed clients in
// clients.ts and the file downloads below both go through `send`.
import { ApiError, networkProblem, toProblem } from './problem'

export type Service = 'intake' | 'allocation' | 'contact' | 'letters' | 'fieldops' | 'billing'

export const API_BASE = '/api'

type TokenSource = () => string | null
let tokenSource: TokenSource = () => null
let onUnauthorized: (err: ApiError) => void = () => {}

/** The session store registers where the token comes from and what a 401 does (sign in again). */
export function configureHttp(opts: { token: TokenSource; unauthorized: (err: ApiError) => void }): void {
  tokenSource = opts.token
  onUnauthorized = opts.unauthorized
}

export function serviceBase(service: Service): string {
  return `${API_BASE}/${service}`
}

export function newCorrelationId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
}

/** Adds the Authorization and x-correlation-id headers to a request. */
export function authorise(request: Request): Request {
  const token = tokenSource()
  if (token) request.headers.set('authorization', `Bearer ${token}`)
  if (!request.headers.has('x-correlation-id')) request.headers.set('x-correlation-id', newCorrelationId())
  return request
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text()
  if (!text) return undefined
  const type = res.headers.get('content-type') ?? ''
  if (type.includes('json')) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

/** An error answer as an ApiError (and the 401 hook run). */
export async function errorOf(res: Response): Promise<ApiError> {
  const err = new ApiError(toProblem(res.status, await readBody(res), res.statusText), res.headers.get('x-correlation-id'))
  if (res.status === 401) onUnauthorized(err)
  return err
}

/** fetch with the token; network failures become an ApiError with status 0. */
export async function send(request: Request, fetcher: typeof fetch = fetch): Promise<Response> {
  let res: Response
  try {
    res = await fetcher(authorise(request))
  } catch (e) {
    throw new ApiError(networkProblem(e), request.headers.get('x-correlation-id'))
  }
  if (!res.ok) throw await errorOf(res)
  return res
}

export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

export interface Download {
  blob: Blob
  filename: string
  contentType: string
}

/** GET a file (exports): the name comes from content-disposition, else `fallback`. */
export async function download(service: Service, path: string, fallback: string): Promise<Download> {
  const res = await send(new Request(serviceBase(service) + path, { method: 'GET' }))
  const disposition = res.headers.get('content-disposition') ?? ''
  const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition)
  const filename = m ? decodeURIComponent(m[1] ?? m[2] ?? fallback) : fallback
  return { blob: await res.blob(), filename, contentType: res.headers.get('content-type') ?? '' }
}

/** A file as the raw request body (letters: a tracking-number CSV/XLSX, an approval document,
 *  receipts); the JSON answer. */
export async function sendFile<T>(service: Service, method: 'POST' | 'PUT', path: string, file: Blob): Promise<T> {
  const headers = { 'content-type': file.type || 'application/octet-stream' }
  const res = await send(new Request(serviceBase(service) + path, { method, body: file, headers }))
  return (await res.json()) as T
}

/** Hand a downloaded file to the browser as a download. */
export function saveFile(d: Download): void {
  const url = URL.createObjectURL(d.blob)
  const a = document.createElement('a')
  a.href = url
  a.download = d.filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
