// R-45 roles and which of them each service lets do what. These mirror the services' own checks
// (allocation api/deps.py, billing api/deps.py, intake IntakeSettings, fieldops and letters
// settings.py); the console uses them only to show a role what it is given — the services decide,
// including the object-level checks (whose case, which team) no role list can express.

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

// fieldops (recoup_fieldops/settings.py). A team lead is a field manager only for a field team
// they lead, a phone manager only for their own team's cases: fieldops decides (403 otherwise).
export const VISIT_APPROVERS: readonly Role[] = ['supervisor', 'team_lead']
export const FIELD_PLAN_READERS: readonly Role[] = ['supervisor', 'team_lead', 'admin', 'auditor']
export const FIELD_PLANNERS: readonly Role[] = ['supervisor', 'team_lead', 'admin']
export const FIELD_TEAM_ADMINS: readonly Role[] = ['supervisor', 'team_lead', 'admin']
export const ESCALATION_READERS: readonly Role[] = ['supervisor', 'team_lead', 'auditor', 'admin']
export const FIELD_AGENTS: readonly Role[] = ['field_agent']
export const EVIDENCE_READERS: readonly Role[] = ['supervisor', 'team_lead', 'field_agent', 'auditor']
export const COMPLIANCE_READERS: readonly Role[] = ['supervisor', 'team_lead', 'auditor', 'admin']
// letters (recoup_letters/settings.py)
export const LETTER_READERS: readonly Role[] = ['letters_clerk', 'supervisor', 'admin', 'auditor']
export const LETTER_CLERKS: readonly Role[] = ['letters_clerk']
export const LETTER_TEMPLATE_EDITORS: readonly Role[] = ['letters_clerk', 'admin']
export const LETTER_CONFIG_EDITORS: readonly Role[] = ['letters_clerk', 'admin']
export const QC_SCANNERS: readonly Role[] = ['letters_clerk', 'supervisor']
export const QC_RESOLVERS: readonly Role[] = ['supervisor', 'admin']
export const SMS_SENDERS: readonly Role[] = ['letters_clerk']
export const RECEIPT_POSTERS: readonly Role[] = ['letters_clerk', 'admin']

// contact (recoup_contact/settings.py). Whose case, which team and which collector's list are the
// service's object checks: a collector reads their own cases, a team lead the team's.
export const CONTACT_READERS: readonly Role[] = ['collector', 'team_lead', 'supervisor', 'admin', 'auditor', 'data_specialist']
export const CONTACT_WRITERS: readonly Role[] = ['collector', 'team_lead', 'supervisor']
export const INBOUND_LOGGERS: readonly Role[] = ['collector', 'team_lead', 'supervisor']
export const WORKLIST_ALL: readonly Role[] = ['supervisor', 'admin', 'auditor', 'data_specialist']
export const CONTACT_REPORTERS: readonly Role[] = ['data_specialist', 'supervisor', 'admin', 'team_lead']
export const COMPLAINT_READERS: readonly Role[] = [...WORKLIST_ALL, 'team_lead']
export const COMPLAINT_RESOLVERS: readonly Role[] = ['supervisor', 'admin']
export const CLAIM_DECIDERS: readonly Role[] = ['data_specialist', 'supervisor', 'admin']
export const AGENT_LINE_ADMINS: readonly Role[] = ['admin']
// the stored contact policy (R-14..R-18): the system level the admin writes, a client's or a
// placement's a supervisor or an admin; quality inspection: auditors and supervisors inspect
// (nobody their own contacts: the service checks), admins read the violations but do not inspect
export const POLICY_READERS: readonly Role[] = ['supervisor', 'admin', 'auditor', 'team_lead', 'data_specialist']
export const POLICY_WRITERS: readonly Role[] = ['supervisor', 'admin']
export const SYSTEM_POLICY_WRITERS: readonly Role[] = ['admin']
export const INSPECTORS: readonly Role[] = ['auditor', 'supervisor']
export const VIOLATION_READERS: readonly Role[] = ['auditor', 'supervisor', 'admin']

export function hasAny(roles: readonly string[], allowed: readonly string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true
  return roles.some((r) => allowed.includes(r))
}
