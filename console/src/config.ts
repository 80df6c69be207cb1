// The runtime configuration, read from /config.json at start so that one build serves every
// environment: the local gateway answers it (development sign-in), in production the container
// serves a file mounted from the deployment (console/deploy/config.example.json).

export interface OidcConfig {
  mode: 'oidc'
  issuer: string
  client_id: string
  redirect_uri?: string
  post_logout_redirect_uri?: string
  scope?: string
}
export interface DevAuthConfig {
  mode: 'dev'
}
export interface NoAuthConfig {
  mode: 'none'
}
/** docker compose only (no identity provider on a laptop): a token minted with the demo key
 *  (deploy/docker/mint_demo_token.py) is pasted on the sign-in page; the services verify it. */
export interface TokenAuthConfig {
  mode: 'token'
}
export type AuthConfig = OidcConfig | DevAuthConfig | NoAuthConfig | TokenAuthConfig

export interface ClientRef {
  id: string
  name?: string
}

export interface RuntimeConfig {
  environment: string
  auth: AuthConfig
  clients: ClientRef[]
  timezone: string
}

export class ConfigError extends Error {}

function str(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0
}

/** Validate what /config.json said; a wrong file is an error shown on the page, not a guess. */
export function parseConfig(raw: unknown): RuntimeConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('config.json is not an object')
  const r = raw as Record<string, unknown>
  const a = (r.auth ?? {}) as Record<string, unknown>
  let auth: AuthConfig
  if (a.mode === 'oidc') {
    if (!str(a.issuer) || !str(a.client_id)) {
      throw new ConfigError('config.json: auth.mode "oidc" needs auth.issuer and auth.client_id')
    }
    auth = {
      mode: 'oidc',
      issuer: a.issuer,
      client_id: a.client_id,
      redirect_uri: str(a.redirect_uri) ? a.redirect_uri : undefined,
      post_logout_redirect_uri: str(a.post_logout_redirect_uri) ? a.post_logout_redirect_uri : undefined,
      scope: str(a.scope) ? a.scope : undefined,
    }
  } else if (a.mode === 'dev') {
    auth = { mode: 'dev' }
  } else if (a.mode === 'token') {
    auth = { mode: 'token' }
  } else if (a.mode === 'none' || a.mode === undefined) {
    auth = { mode: 'none' }
  } else {
    throw new ConfigError(`config.json: unknown auth.mode ${JSON.stringify(a.mode)}`)
  }
  const clients = Array.isArray(r.clients)
    ? r.clients
        .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && str((c as ClientRef).id))
        .map((c) => ({ id: String(c.id), name: str(c.name) ? c.name : undefined }))
    : []
  return {
    environment: str(r.environment) ? r.environment : 'production',
    auth,
    clients,
    timezone: str(r.timezone) ? r.timezone : 'Asia/Shanghai',
  }
}

let current: RuntimeConfig | null = null

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<RuntimeConfig> {
  const res = await fetcher('/config.json', { cache: 'no-store' })
  if (!res.ok) throw new ConfigError(`/config.json answered HTTP ${res.status}`)
  current = parseConfig(await res.json())
  return current
}

export function config(): RuntimeConfig {
  if (!current) throw new ConfigError('the runtime configuration is not loaded yet')
  return current
}

export function setConfig(c: RuntimeConfig): void {
  current = c
}
