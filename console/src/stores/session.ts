// Who is signed in: the access token, its claims (roles drive the menu) and the sign-in mode.
// Development tokens live in sessionStorage (this tab only); OIDC tokens in oidc-client-ts's store.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { config } from '@/config'
import { configureHttp } from '@/api/http'
import { decodeClaims, expired, type Claims } from '@/auth/jwt'
import { hasAny, type Role } from '@/auth/roles'

const DEV_KEY = 'recoup.dev.token'

export const useSession = defineStore('session', () => {
  const token = ref<string | null>(null)
  const claims = ref<Claims | null>(null)
  const displayName = ref<string | null>(null)
  const expiredNotice = ref(false)

  const signedIn = computed(() => token.value !== null && claims.value !== null && !expired(claims.value))
  const roles = computed<Role[]>(() => claims.value?.roles ?? [])
  const sub = computed(() => claims.value?.sub ?? '')
  const teamId = computed(() => claims.value?.team_id ?? null)

  function can(allowed: readonly Role[] | undefined): boolean {
    return hasAny(roles.value, allowed)
  }

  function accept(t: string, name?: string): boolean {
    const c = decodeClaims(t)
    if (!c || expired(c)) return false
    token.value = t
    claims.value = c
    displayName.value = name ?? c.name ?? c.sub
    expiredNotice.value = false
    return true
  }

  function clear(): void {
    token.value = null
    claims.value = null
    displayName.value = null
    sessionStorage.removeItem(DEV_KEY)
  }

  configureHttp({
    token: () => token.value,
    unauthorized: () => {
      // the token expired or was refused: sign in again (the router guard sends to /sign-in)
      expiredNotice.value = true
      clear()
    },
  })

  async function restore(): Promise<void> {
    const auth = config().auth
    if (auth.mode === 'dev' || auth.mode === 'token') {
      const saved = sessionStorage.getItem(DEV_KEY)
      if (saved) {
        try {
          const { t, name } = JSON.parse(saved) as { t: string; name?: string }
          if (!accept(t, name)) sessionStorage.removeItem(DEV_KEY)
        } catch {
          sessionStorage.removeItem(DEV_KEY)
        }
      }
    } else if (auth.mode === 'oidc') {
      const { oidcRestore, onOidcTokenRenewed } = await import('@/auth/oidc')
      const t = await oidcRestore(auth)
      if (t) accept(t)
      await onOidcTokenRenewed(auth, (renewed) => accept(renewed, displayName.value ?? undefined))
    }
  }

  async function signInDev(subject: string, name?: string): Promise<void> {
    const { demoToken } = await import('@/auth/dev')
    const t = await demoToken(subject)
    if (!accept(t, name)) throw new Error('the development token could not be read')
    sessionStorage.setItem(DEV_KEY, JSON.stringify({ t, name }))
  }

  /** A pasted token (auth mode `token`, docker compose): kept in this tab like a development one. */
  function signInToken(t: string): boolean {
    const token = t.trim().replace(/^Bearer\s+/i, '')
    if (!accept(token)) return false
    sessionStorage.setItem(DEV_KEY, JSON.stringify({ t: token }))
    return true
  }

  async function signInOidc(returnTo: string): Promise<void> {
    const auth = config().auth
    if (auth.mode !== 'oidc') throw new Error('OpenID Connect is not configured')
    const { oidcSignIn } = await import('@/auth/oidc')
    await oidcSignIn(auth, returnTo)
  }

  async function completeOidc(): Promise<string> {
    const auth = config().auth
    if (auth.mode !== 'oidc') throw new Error('OpenID Connect is not configured')
    const { oidcCallback } = await import('@/auth/oidc')
    const { token: t, returnTo } = await oidcCallback(auth)
    if (!accept(t)) throw new Error('the identity provider gave no usable access token (roles claim?)')
    return returnTo
  }

  async function signOut(): Promise<void> {
    const auth = config().auth
    clear()
    if (auth.mode === 'oidc') {
      const { oidcSignOut } = await import('@/auth/oidc')
      await oidcSignOut(auth)
    }
  }

  return {
    token, claims, displayName, expiredNotice, signedIn, roles, sub, teamId,
    can, accept, restore, signInDev, signInToken, signInOidc, completeOidc, signOut, clear,
  }
})
