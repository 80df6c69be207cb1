// R-45 roles and which of them each service lets do what. These mirror the services' own checks
// (allocation api/deps.py, billing api/deps.py, intake IntakeSettings); the console uses them only
// to show a role what it is given — the services decide.

export const ROLES = [
  'collector',
  'team_lead',
  'supervisor',
  'field_agent',
  'letters_clerk',
  'data_specialist',
  'finance',
  'auditor',
  'admin',
] as const
export type Role = (typeof ROLES)[number]

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x)
}

// allocation
export const ALLOCATORS: readonly Role[] = ['team_lead', 'supervisor', 'admin']
export const ALLOCATION_READERS: readonly Role[] = [...ALLOCATORS, 'auditor']
export const ALLOCATION_MANAGERS: readonly Role[] = ['supervisor', 'admin']
export const CASE_OWNER_READERS: readonly Role[] = ['collector', 'team_lead', 'supervisor', 'admin', 'auditor', 'finance']
// billing
export const BILLING_READERS: readonly Role[] = ['finance', 'supervisor', 'admin', 'auditor']
export const SCHEDULE_WRITERS: readonly Role[] = ['finance', 'admin']
export const STATEMENT_ISSUERS: readonly Role[] = ['finance', 'admin']
export const PERFORMANCE_READERS: readonly Role[] = [...BILLING_READERS, 'team_lead']
// intake
export const PLACEMENT_SCREEN: readonly Role[] = ['data_specialist', 'admin', 'supervisor', 'auditor']
export const TEMPLATE_WRITERS: readonly Role[] = ['data_specialist', 'admin']
export const TEMPLATE_READERS: readonly Role[] = ['data_specialist', 'admin', 'supervisor', 'auditor']
export const REVEAL_ROLES: readonly Role[] = ['admin', 'supervisor', 'data_specialist']
export const AUDIT_READERS: readonly Role[] = ['auditor', 'admin']

export function hasAny(roles: readonly string[], allowed: readonly string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true
  return roles.some((r) => allowed.includes(r))
}
