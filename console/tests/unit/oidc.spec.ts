import { describe, expect, it } from 'vitest'
import { InMemoryWebStorage, OidcClient, WebStorageStateStore } from 'oidc-client-ts'
import { oidcSettings } from '@/auth/oidc'
import { parseConfig, type OidcConfig } from '@/config'

const cfg = parseConfig({
  auth: { mode: 'oidc', issuer: 'https://id.agency.example/realms/recoup', client_id: 'recoup-console' },
}).auth as OidcConfig

const metadata = {
  issuer: cfg.issuer,
  authorization_endpoint: `${cfg.issuer}/protocol/openid-connect/auth`,
  token_endpoint: `${cfg.issuer}/protocol/openid-connect/token`,
  end_session_endpoint: `${cfg.issuer}/protocol/openid-connect/logout`,
  jwks_uri: `${cfg.issuer}/protocol/openid-connect/certs`,
}

describe('OpenID Connect sign-in (authorization code + PKCE)', () => {
  it('takes everything from the runtime configuration', () => {
    const s = oidcSettings(cfg, 'https://recoup.agency.example')
    expect(s).toMatchObject({
      authority: 'https://id.agency.example/realms/recoup',
      client_id: 'recoup-console',
      redirect_uri: 'https://recoup.agency.example/auth/callback',
      post_logout_redirect_uri: 'https://recoup.agency.example/sign-in',
      response_type: 'code',
      scope: 'openid profile',
    })
    const explicit = oidcSettings({ ...cfg, redirect_uri: 'https://x.example/cb', scope: 'openid roles' }, 'https://o.example')
    expect(explicit.redirect_uri).toBe('https://x.example/cb')
    expect(explicit.scope).toBe('openid roles')
  })

  it('sends the browser to the identity provider with a PKCE challenge (S256)', async () => {
    const client = new OidcClient({
      ...oidcSettings(cfg, 'https://recoup.agency.example'),
      metadata,
      stateStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    })
    const req = await client.createSigninRequest({ state: { returnTo: '/billing/statements' } })
    const url = new URL(req.url)
    expect(url.origin + url.pathname).toBe(metadata.authorization_endpoint)
    expect(url.searchParams.get('response_type')).toBe('code')
    expect(url.searchParams.get('client_id')).toBe('recoup-console')
    expect(url.searchParams.get('redirect_uri')).toBe('https://recoup.agency.example/auth/callback')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})
