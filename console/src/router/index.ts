// Routes, each screen its own chunk (loaded on first visit). `meta.roles` mirrors the menu;
// the guard sends a visitor without a session to /sign-in and one without the role to /forbidden.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import {
  ALLOCATION_READERS, ALLOCATORS, AUDIT_READERS, BILLING_READERS, CASE_OWNER_READERS, ESCALATION_READERS,
  COMPLAINT_READERS, CONTACT_READERS, CONTACT_REPORTERS, INBOUND_LOGGERS,
  FIELD_AGENTS, FIELD_PLAN_READERS, LETTER_CLERKS, LETTER_READERS, PERFORMANCE_READERS, PLACEMENT_SCREEN,
  POLICY_READERS, QC_RESOLVERS, QC_SCANNERS, TEMPLATE_READERS, VIOLATION_READERS, VISIT_APPROVERS, type Role,
} from '@/auth/roles'

const QC_SCREEN: readonly Role[] = [...new Set([...QC_SCANNERS, ...QC_RESOLVERS])]
import { useSession } from '@/stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: readonly Role[]
    titleKey?: string
  }
}

const children: RouteRecordRaw[] = [
  { path: '', name: 'dashboard', component: () => import('@/views/dashboard/DashboardView.vue'), meta: { titleKey: 'menu.dashboard' } },
  // contact
  { path: 'contact/worklist', name: 'contact-worklist', component: () => import('@/views/contact/WorklistView.vue'), meta: { roles: CONTACT_READERS, titleKey: 'menu.worklist' } },
  { path: 'contact/cases/:caseId', name: 'contact-case', component: () => import('@/views/contact/CaseView.vue'), meta: { roles: CONTACT_READERS, titleKey: 'contact.casePage' } },
  { path: 'contact/inbound', name: 'contact-inbound', component: () => import('@/views/contact/InboundView.vue'), meta: { roles: INBOUND_LOGGERS, titleKey: 'menu.inbound' } },
  { path: 'contact/complaints', name: 'contact-complaints', component: () => import('@/views/contact/ComplaintsView.vue'), meta: { roles: COMPLAINT_READERS, titleKey: 'menu.complaints' } },
  { path: 'contact/disputes', name: 'contact-disputes', component: () => import('@/views/contact/DisputesView.vue'), meta: { roles: COMPLAINT_READERS, titleKey: 'menu.disputes' } },
  { path: 'contact/claims', name: 'contact-claims', component: () => import('@/views/contact/ClaimsView.vue'), meta: { roles: CONTACT_READERS, titleKey: 'menu.claims' } },
  { path: 'contact/quality', name: 'contact-quality', component: () => import('@/views/contact/QualityView.vue'), meta: { roles: VIOLATION_READERS, titleKey: 'menu.quality' } },
  { path: 'contact/policies', name: 'contact-policies', component: () => import('@/views/contact/PoliciesView.vue'), meta: { roles: POLICY_READERS, titleKey: 'menu.contactPolicies' } },
  { path: 'contact/quality-flags', name: 'contact-quality-flags', component: () => import('@/views/contact/QualityFlagsView.vue'), meta: { roles: CONTACT_REPORTERS, titleKey: 'menu.qualityFlags' } },
  // allocation
  { path: 'allocation/preview', name: 'alloc-preview', component: () => import('@/views/allocation/PreviewView.vue'), meta: { roles: ALLOCATORS, titleKey: 'menu.allocationPreview' } },
  { path: 'allocation/rotation', name: 'alloc-rotation', component: () => import('@/views/allocation/RotationView.vue'), meta: { roles: ALLOCATORS, titleKey: 'menu.rotation' } },
  { path: 'allocation/plans', name: 'alloc-plans', component: () => import('@/views/allocation/PlansView.vue'), meta: { roles: ALLOCATION_READERS, titleKey: 'menu.plans' } },
  { path: 'allocation/teams', name: 'alloc-teams', component: () => import('@/views/allocation/TeamsView.vue'), meta: { roles: ALLOCATION_READERS, titleKey: 'menu.teams' } },
  { path: 'allocation/collectors', name: 'alloc-collectors', component: () => import('@/views/allocation/CollectorsView.vue'), meta: { roles: ALLOCATION_READERS, titleKey: 'menu.collectors' } },
  { path: 'allocation/client-rules', name: 'alloc-rules', component: () => import('@/views/allocation/ClientRulesView.vue'), meta: { roles: ALLOCATION_READERS, titleKey: 'menu.clientRules' } },
  { path: 'allocation/sla', name: 'alloc-sla', component: () => import('@/views/allocation/SlaView.vue'), meta: { roles: ALLOCATION_READERS, titleKey: 'menu.sla' } },
  { path: 'allocation/cases/:caseId?', name: 'alloc-case', component: () => import('@/views/allocation/CaseOwnerView.vue'), meta: { roles: CASE_OWNER_READERS, titleKey: 'menu.caseOwner' } },
  // billing
  { path: 'billing/statements', name: 'billing-statements', component: () => import('@/views/billing/StatementsView.vue'), meta: { roles: BILLING_READERS, titleKey: 'menu.statements' } },
  { path: 'billing/statements/:clientId/:month', name: 'billing-statement', component: () => import('@/views/billing/StatementView.vue'), meta: { roles: BILLING_READERS, titleKey: 'billing.statement' } },
  { path: 'billing/fee-schedules', name: 'billing-schedules', component: () => import('@/views/billing/FeeSchedulesView.vue'), meta: { roles: BILLING_READERS, titleKey: 'menu.feeSchedules' } },
  { path: 'billing/performance', name: 'billing-performance', component: () => import('@/views/billing/PerformanceView.vue'), meta: { roles: PERFORMANCE_READERS, titleKey: 'menu.performance' } },
  // intake
  { path: 'intake/placements', name: 'intake-placements', component: () => import('@/views/intake/PlacementsView.vue'), meta: { roles: PLACEMENT_SCREEN, titleKey: 'menu.placements' } },
  { path: 'intake/placements/:clientId/:ref', name: 'intake-placement', component: () => import('@/views/intake/PlacementView.vue'), meta: { roles: PLACEMENT_SCREEN, titleKey: 'intake.placement' } },
  { path: 'intake/cases/:caseId', name: 'intake-case', component: () => import('@/views/intake/CaseView.vue'), meta: { roles: PLACEMENT_SCREEN, titleKey: 'intake.case' } },
  { path: 'intake/templates', name: 'intake-templates', component: () => import('@/views/intake/TemplatesView.vue'), meta: { roles: TEMPLATE_READERS, titleKey: 'menu.templates' } },
  { path: 'intake/audit-log', name: 'intake-audit', component: () => import('@/views/intake/AuditLogView.vue'), meta: { roles: AUDIT_READERS, titleKey: 'menu.auditLog' } },
  // fieldops
  { path: 'fieldops/approvals', name: 'field-approvals', component: () => import('@/views/fieldops/VisitApprovalsView.vue'), meta: { roles: VISIT_APPROVERS, titleKey: 'menu.visitApprovals' } },
  { path: 'fieldops/plans', name: 'field-plans', component: () => import('@/views/fieldops/DailyPlansView.vue'), meta: { roles: FIELD_PLAN_READERS, titleKey: 'menu.dailyPlans' } },
  { path: 'fieldops/escalations', name: 'field-escalations', component: () => import('@/views/fieldops/EscalationsView.vue'), meta: { roles: ESCALATION_READERS, titleKey: 'menu.escalations' } },
  { path: 'fieldops/teams', name: 'field-teams', component: () => import('@/views/fieldops/FieldTeamsView.vue'), meta: { roles: FIELD_PLAN_READERS, titleKey: 'menu.fieldTeams' } },
  { path: 'fieldops/my-day', name: 'field-my-day', component: () => import('@/views/fieldops/MyDayView.vue'), meta: { roles: FIELD_AGENTS, titleKey: 'menu.agentDay' } },
  // letters
  { path: 'letters/batches', name: 'letter-batches', component: () => import('@/views/letters/BatchesView.vue'), meta: { roles: LETTER_READERS, titleKey: 'menu.letterBatches' } },
  { path: 'letters/batches/:batchId', name: 'letter-batch', component: () => import('@/views/letters/BatchView.vue'), meta: { roles: LETTER_READERS, titleKey: 'letters.batch' } },
  { path: 'letters/qc', name: 'letter-qc', component: () => import('@/views/letters/QcScanView.vue'), meta: { roles: QC_SCREEN, titleKey: 'menu.letterQc' } },
  { path: 'letters/returns', name: 'letter-returns', component: () => import('@/views/letters/ReturnsView.vue'), meta: { roles: LETTER_CLERKS, titleKey: 'menu.letterReturns' } },
  { path: 'letters/letters', name: 'letter-list', component: () => import('@/views/letters/LettersView.vue'), meta: { roles: LETTER_READERS, titleKey: 'menu.letterList' } },
  { path: 'letters/templates', name: 'letter-templates', component: () => import('@/views/letters/TemplatesView.vue'), meta: { roles: LETTER_READERS, titleKey: 'menu.letterTemplates' } },
  { path: 'letters/config', name: 'letter-config', component: () => import('@/views/letters/LetterConfigView.vue'), meta: { roles: LETTER_READERS, titleKey: 'menu.letterConfig' } },
  { path: 'letters/planning', name: 'letter-planning', component: () => import('@/views/letters/PlanningView.vue'), meta: { roles: LETTER_READERS, titleKey: 'menu.letterPlanning' } },
  { path: 'letters/sms', name: 'letter-sms', component: () => import('@/views/letters/SmsView.vue'), meta: { roles: LETTER_READERS, titleKey: 'menu.sms' } },
  { path: 'forbidden', name: 'forbidden', component: () => import('@/views/system/ForbiddenView.vue'), meta: { titleKey: 'system.forbidden' } },
  { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/system/NotFoundView.vue'), meta: { titleKey: 'system.notFound' } },
]

export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('@/views/auth/SignInView.vue'), meta: { public: true } },
  { path: '/auth/callback', name: 'oidc-callback', component: () => import('@/views/auth/CallbackView.vue'), meta: { public: true } },
  { path: '/', component: () => import('@/components/AppLayout.vue'), children },
]

export function makeRouter() {
  const router = createRouter({ history: createWebHistory(), routes })
  router.beforeEach((to) => {
    if (to.meta.public) return true
    const session = useSession()
    if (!session.signedIn) {
      return { name: 'sign-in', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    }
    if (!session.can(to.meta.roles)) return { name: 'forbidden' }
    return true
  })
  return router
}
