// The claims of an access token, read (not verified: the services verify every call) to know
// who is signed in, their roles and when the token expires.
import { isRole, type Role } from './roles'

export interface Claims {
  sub: string
  roles: Role[]
  team_id?: string
  name?: string
  exp?: number
}

function base64UrlDecode(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)
  const bin = atob(b64)
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0))
  return new TextDecoder().decode(bytes)
}

export function decodeClaims(token: string): Claims | null {
  const part = token.split('.')[1]
  if (!part) return null
  try {
    const c = JSON.parse(base64UrlDecode(part)) as Record<string, unknown>
    if (typeof c.sub !== 'string') return null
    const roles = Array.isArray(c.roles) ? c.roles.filter(isRole) : []
    return {
      sub: c.sub,
      roles,
      team_id: typeof c.team_id === 'string' ? c.team_id : undefined,
      name: typeof c.name === 'string' ? c.name : typeof c.preferred_username === 'string' ? c.preferred_username : undefined,
      exp: typeof c.exp === 'number' ? c.exp : undefined,
    }
  } catch {
    return null
  }
}

export function expired(claims: Claims, nowSeconds = Date.now() / 1000): boolean {
  return claims.exp !== undefined && claims.exp <= nowSeconds + 30
}
