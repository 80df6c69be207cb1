import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '@/config'
import { decodeClaims, expired } from '@/auth/jwt'

describe('runtime configuration', () => {
  it('reads an OpenID Connect configuration', () => {
    const c = parseConfig({ environment: 'production', auth: { mode: 'oidc', issuer: 'https://id.example/realms/agency', client_id: 'recoup-console' }, clients: [{ id: 'ICBC-SH', name: '工行上海' }, { bad: 1 }] })
    expect(c.auth).toMatchObject({ mode: 'oidc', issuer: 'https://id.example/realms/agency', client_id: 'recoup-console' })
    expect(c.clients).toEqual([{ id: 'ICBC-SH', name: '工行上海' }])
    expect(c.timezone).toBe('Asia/Shanghai')
  })

  it('reads the deployments\' config.json files (generated from services.yaml, the overlays\')', () => {
    const repo = join(__dirname, '../../..')
    const read = (p: string) => parseConfig(JSON.parse(readFileSync(join(repo, p), 'utf8')))
    for (const p of ['deploy/k8s/base/generated/console-config.json', 'deploy/k8s/overlays/staging/console-config.json',
      'deploy/k8s/overlays/production/console-config.json', 'console/deploy/config.example.json']) {
      const c = read(p)
      expect(c.auth.mode, p).toBe('oidc')
      if (c.auth.mode === 'oidc') expect(c.auth.redirect_uri, p).toMatch(/^https:\/\/[^/]+\/auth\/callback$/)
    }
    expect(read('deploy/docker/console-config.json').auth).toEqual({ mode: 'token' }) // docker compose: no IdP
  })

  it('refuses an incomplete or unknown sign-in', () => {
    expect(() => parseConfig({ auth: { mode: 'oidc', issuer: 'https://id.example' } })).toThrow(ConfigError)
    expect(() => parseConfig({ auth: { mode: 'magic' } })).toThrow(/unknown auth.mode/)
    expect(parseConfig({}).auth.mode).toBe('none')
  })
})

describe('access token claims', () => {
  const b64 = (o: object) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o)))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  const token = (claims: object) => `${b64({ alg: 'RS256' })}.${b64(claims)}.sig`

  it('reads sub, known roles, team and expiry', () => {
    const c = decodeClaims(token({ sub: 'demo-lead', roles: ['team_lead', 'client', 'nonsense'], team_id: 'demo-team', exp: 2_000_000_000, name: '赵建国' }))
    expect(c).toEqual({ sub: 'demo-lead', roles: ['team_lead'], team_id: 'demo-team', name: '赵建国', exp: 2_000_000_000 })
    expect(expired(c!, 1_999_999_000)).toBe(false)
    expect(expired(c!, 2_000_000_000)).toBe(true)
  })

  it('gives nothing for a token it cannot read', () => {
    expect(decodeClaims('not-a-token')).toBeNull()
    expect(decodeClaims(token({ roles: ['admin'] }))).toBeNull()
  })
})
