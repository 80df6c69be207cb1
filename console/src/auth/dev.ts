// The development sign-in of the local gateway (deploy/local/recoup_local/console.py): demo users
// per role, tokens minted with the local key. Only the local and test profiles answer it.
import { ApiError, toProblem } from '@/api/problem'
import type { Role } from './roles'

export interface DemoUser {
  sub: string
  name: string
  roles: Role[]
  team_id?: string
}

async function json<T>(res: Response): Promise<T> {
  const body: unknown = await res.json().catch(() => undefined)
  if (!res.ok) throw new ApiError(toProblem(res.status, body, res.statusText))
  return body as T
}

export async function demoUsers(): Promise<DemoUser[]> {
  const res = await fetch('/auth/dev/users', { cache: 'no-store' })
  return (await json<{ users: DemoUser[] }>(res)).users
}

export async function demoToken(sub: string): Promise<string> {
  const res = await fetch('/auth/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub }),
  })
  return (await json<{ access_token: string }>(res)).access_token
}
