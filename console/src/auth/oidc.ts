// OpenID Connect, authorization code + PKCE, with oidc-client-ts against the agency's identity
// provider (issuer, client id and redirect URI from /config.json). Loaded only when the
// configuration asks for it, so the development build's first load does not carry it.
import type { UserManager, UserManagerSettings } from 'oidc-client-ts'
import type { OidcConfig } from '@/config'

let manager: Promise<UserManager> | null = null

export const CALLBACK_PATH = '/auth/callback'

/** The client's settings, all from /config.json: nothing about the identity provider is built in. */
export function oidcSettings(cfg: OidcConfig, origin: string): Omit<UserManagerSettings, 'userStore'> {
  return {
    authority: cfg.issuer,
    client_id: cfg.client_id,
    redirect_uri: cfg.redirect_uri ?? origin + CALLBACK_PATH,
    post_logout_redirect_uri: cfg.post_logout_redirect_uri ?? origin + '/sign-in',
    response_type: 'code', // authorization code; oidc-client-ts adds PKCE (S256) to it
    scope: cfg.scope ?? 'openid profile',
    automaticSilentRenew: true,
  }
}

function managerFor(cfg: OidcConfig): Promise<UserManager> {
  manager ??= import('oidc-client-ts').then(({ UserManager, WebStorageStateStore }) => new UserManager({
    ...oidcSettings(cfg, window.location.origin),
    // per tab, gone with the tab: a shared computer keeps no session
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  }))
  return manager
}

export async function oidcSignIn(cfg: OidcConfig, returnTo: string): Promise<void> {
  await (await managerFor(cfg)).signinRedirect({ state: { returnTo } })
}

/** The redirect back from the identity provider: the access token and where to go next. */
export async function oidcCallback(cfg: OidcConfig): Promise<{ token: string; returnTo: string }> {
  const user = await (await managerFor(cfg)).signinRedirectCallback()
  const state = user.state as { returnTo?: string } | undefined
  return { token: user.access_token, returnTo: state?.returnTo ?? '/' }
}

/** A session kept in this tab (page reload). */
export async function oidcRestore(cfg: OidcConfig): Promise<string | null> {
  const user = await (await managerFor(cfg)).getUser()
  return user && !user.expired ? user.access_token : null
}

export async function oidcSignOut(cfg: OidcConfig): Promise<void> {
  const m = await managerFor(cfg)
  await m.removeUser()
  await m.signoutRedirect().catch(() => undefined) // an IdP without end_session: local sign-out only
}

export async function onOidcTokenRenewed(cfg: OidcConfig, fn: (token: string) => void): Promise<void> {
  ;(await managerFor(cfg)).events.addUserLoaded((u) => fn(u.access_token))
}
