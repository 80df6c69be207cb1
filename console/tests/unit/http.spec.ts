import { afterEach, describe, expect, it } from 'vitest'
import { configureHttp, query, send, serviceBase } from '@/api/http'
import { ApiError } from '@/api/problem'
import { problemText } from '@/api/words'
import { i18n } from '@/i18n'

let seen: Request | null = null
let unauthorized = 0
configureHttp({ token: () => 'tok-123', unauthorized: () => { unauthorized += 1 } })

function answering(status: number, body: unknown, type = 'application/problem+json'): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    seen = input as Request
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': type, 'x-correlation-id': 'cid-9' } })
  }) as typeof fetch
}

afterEach(() => {
  seen = null
})

describe('the fetch wrapper', () => {
  it('calls /api/<service>/… with the bearer token and a correlation id', async () => {
    const res = await send(new Request('http://x' + serviceBase('allocation') + '/v1/teams'), answering(200, [], 'application/json'))
    expect(res.status).toBe(200)
    expect(seen?.url).toBe('http://x/api/allocation/v1/teams')
    expect(seen?.headers.get('authorization')).toBe('Bearer tok-123')
    expect(seen?.headers.get('x-correlation-id')).toMatch(/.{8,}/)
  })

  it('turns a problem+json answer into an ApiError with its fields', async () => {
    const body = { type: 'https://recoup.example/problems/conflict', title: 'Conflict', status: 409, detail: 'the pool changed' }
    const err = await send(new Request('http://x/api/allocation/v1/allocations/p/commit', { method: 'POST' }), answering(409, body)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).problem.detail).toBe('the pool changed')
    expect((err as ApiError).correlationId).toBe('cid-9')
  })

  it('a 401 runs the sign-in-again hook', async () => {
    const before = unauthorized
    await send(new Request('http://x/api/intake/v1/cases'), answering(401, { title: 'Authentication required', status: 401 })).catch(() => undefined)
    expect(unauthorized).toBe(before + 1)
  })

  it('a network failure is an ApiError with status 0', async () => {
    const failing = (async () => { throw new TypeError('Failed to fetch') }) as typeof fetch
    const err = (await send(new Request('http://x/api/billing/v1/x'), failing).catch((e: unknown) => e)) as ApiError
    expect(err.status).toBe(0)
    expect(err.slug).toBe('network')
  })

  it('builds query strings without empty values', () => {
    expect(query({ a: 1, b: '', c: null, d: undefined, e: 'x y' })).toBe('?a=1&e=x+y')
    expect(query({})).toBe('')
  })
})

describe('problems in words', () => {
  const t = i18n.global.t as unknown as (k: string) => string
  const te = i18n.global.te as unknown as (k: string) => boolean

  it('says a known problem type in the user language, with the service detail', () => {
    const e = new ApiError({ type: 'https://recoup.example/problems/forbidden', title: 'Forbidden', status: 403, detail: 'a team lead sees their own team only' })
    expect(problemText(e, t, te)).toEqual({ headline: '无权执行此操作', detail: 'a team lead sees their own team only' })
  })

  it('falls back on the status, then on the title', () => {
    const e = new ApiError({ type: 'https://recoup.example/problems/team-exists', title: 'Team exists', status: 409 })
    expect(problemText(e, t, te).headline).toBe('数据已变化或已存在，请刷新后重试')
    expect(problemText(e, t, te).detail).toBe('Team exists')
  })
})
