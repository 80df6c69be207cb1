// The navigation: groups of screens, each with the R-45 roles it serves. Screens of services that
// are still being written are listed with `planned` (shown disabled, marked "coming with the
// <service> service") — when the service lands, its screens replace `planned` with a `route`.
import {
  ALLOCATION_MANAGERS, ALLOCATION_READERS, ALLOCATORS, AUDIT_READERS, BILLING_READERS, CASE_OWNER_READERS,
  COMPLAINT_READERS, CONTACT_READERS, CONTACT_REPORTERS, INBOUND_LOGGERS,
  ESCALATION_READERS, FIELD_AGENTS, FIELD_PLAN_READERS, LETTER_CLERKS, LETTER_READERS, PERFORMANCE_READERS,
  PLACEMENT_SCREEN, POLICY_READERS, QC_RESOLVERS, QC_SCANNERS, TEMPLATE_READERS, VIOLATION_READERS, VISIT_APPROVERS,
  hasAny, type Role,
} from '@/auth/roles'
import type { Service } from '@/api/http'

export interface MenuItem {
  key: string
  titleKey: string
  roles: readonly Role[]
  route?: string
  planned?: Service
}

export interface MenuGroup {
  key: string
  titleKey: string
  icon: 'home' | 'phone' | 'share' | 'location' | 'message' | 'upload' | 'money'
  items: MenuItem[]
}

const ALL: readonly Role[] = []

export const MENU: MenuGroup[] = [
  { key: 'home', titleKey: 'menu.home', icon: 'home', items: [
    { key: 'dashboard', titleKey: 'menu.dashboard', roles: ALL, route: 'dashboard' },
  ] },
  { key: 'collection', titleKey: 'menu.collection', icon: 'phone', items: [
    { key: 'worklist', titleKey: 'menu.worklist', roles: CONTACT_READERS, route: 'contact-worklist' },
    { key: 'inbound', titleKey: 'menu.inbound', roles: INBOUND_LOGGERS, route: 'contact-inbound' },
    { key: 'complaints', titleKey: 'menu.complaints', roles: COMPLAINT_READERS, route: 'contact-complaints' },
    { key: 'disputes', titleKey: 'menu.disputes', roles: COMPLAINT_READERS, route: 'contact-disputes' },
    { key: 'claims', titleKey: 'menu.claims', roles: CONTACT_READERS, route: 'contact-claims' },
    { key: 'quality-flags', titleKey: 'menu.qualityFlags', roles: CONTACT_REPORTERS, route: 'contact-quality-flags' },
    // the inspection queue and violations per collector (R-48; admins see the violations only), the
    // stored contact policies (R-14..R-18; read by managers, written by a supervisor or an admin)
    { key: 'quality', titleKey: 'menu.quality', roles: VIOLATION_READERS, route: 'contact-quality' },
    { key: 'contact-policies', titleKey: 'menu.contactPolicies', roles: POLICY_READERS, route: 'contact-policies' },
  ] },
  { key: 'allocation', titleKey: 'menu.allocation', icon: 'share', items: [
    { key: 'alloc-preview', titleKey: 'menu.allocationPreview', roles: ALLOCATORS, route: 'alloc-preview' },
    { key: 'alloc-rotation', titleKey: 'menu.rotation', roles: ALLOCATORS, route: 'alloc-rotation' },
    { key: 'alloc-plans', titleKey: 'menu.plans', roles: ALLOCATION_READERS, route: 'alloc-plans' },
    { key: 'alloc-teams', titleKey: 'menu.teams', roles: ALLOCATION_READERS, route: 'alloc-teams' },
    { key: 'alloc-collectors', titleKey: 'menu.collectors', roles: ALLOCATION_READERS, route: 'alloc-collectors' },
    { key: 'alloc-rules', titleKey: 'menu.clientRules', roles: ALLOCATION_READERS, route: 'alloc-rules' },
    { key: 'alloc-sla', titleKey: 'menu.sla', roles: ALLOCATION_READERS, route: 'alloc-sla' },
    { key: 'alloc-case', titleKey: 'menu.caseOwner', roles: CASE_OWNER_READERS, route: 'alloc-case' },
  ] },
  { key: 'fieldops', titleKey: 'menu.fieldops', icon: 'location', items: [
    { key: 'agent-day', titleKey: 'menu.agentDay', roles: FIELD_AGENTS, route: 'field-my-day' },
    { key: 'visit-approvals', titleKey: 'menu.visitApprovals', roles: VISIT_APPROVERS, route: 'field-approvals' },
    { key: 'daily-plans', titleKey: 'menu.dailyPlans', roles: FIELD_PLAN_READERS, route: 'field-plans' },
    { key: 'escalations', titleKey: 'menu.escalations', roles: ESCALATION_READERS, route: 'field-escalations' },
    { key: 'field-teams', titleKey: 'menu.fieldTeams', roles: FIELD_PLAN_READERS, route: 'field-teams' },
  ] },
  { key: 'letters', titleKey: 'menu.letters', icon: 'message', items: [
    { key: 'letter-batches', titleKey: 'menu.letterBatches', roles: LETTER_READERS, route: 'letter-batches' },
    { key: 'letter-qc', titleKey: 'menu.letterQc', roles: [...new Set([...QC_SCANNERS, ...QC_RESOLVERS])], route: 'letter-qc' },
    { key: 'letter-returns', titleKey: 'menu.letterReturns', roles: LETTER_CLERKS, route: 'letter-returns' },
    { key: 'letter-list', titleKey: 'menu.letterList', roles: LETTER_READERS, route: 'letter-list' },
    { key: 'letter-planning', titleKey: 'menu.letterPlanning', roles: LETTER_READERS, route: 'letter-planning' },
    { key: 'letter-templates', titleKey: 'menu.letterTemplates', roles: LETTER_READERS, route: 'letter-templates' },
    { key: 'letter-config', titleKey: 'menu.letterConfig', roles: LETTER_READERS, route: 'letter-config' },
    { key: 'letter-sms', titleKey: 'menu.sms', roles: LETTER_READERS, route: 'letter-sms' },
  ] },
  { key: 'intake', titleKey: 'menu.intake', icon: 'upload', items: [
    { key: 'intake-placements', titleKey: 'menu.placements', roles: PLACEMENT_SCREEN, route: 'intake-placements' },
    { key: 'intake-templates', titleKey: 'menu.templates', roles: TEMPLATE_READERS, route: 'intake-templates' },
    { key: 'intake-audit', titleKey: 'menu.auditLog', roles: AUDIT_READERS, route: 'intake-audit' },
  ] },
  { key: 'billing', titleKey: 'menu.billing', icon: 'money', items: [
    { key: 'billing-statements', titleKey: 'menu.statements', roles: BILLING_READERS, route: 'billing-statements' },
    { key: 'billing-schedules', titleKey: 'menu.feeSchedules', roles: BILLING_READERS, route: 'billing-schedules' },
    { key: 'billing-performance', titleKey: 'menu.performance', roles: PERFORMANCE_READERS, route: 'billing-performance' },
  ] },
]

/** The groups and items a user with these roles sees; empty groups are left out. */
export function menuFor(roles: readonly string[]): MenuGroup[] {
  return MENU.map((g) => ({ ...g, items: g.items.filter((i) => hasAny(roles, i.roles)) })).filter(
    (g) => g.items.length > 0,
  )
}

export { ALLOCATION_MANAGERS }
