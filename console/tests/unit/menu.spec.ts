import { describe, expect, it } from 'vitest'
import { MENU, menuFor } from '@/router/menu'
import { routes } from '@/router'
import { ROLES } from '@/auth/roles'

const keys = (roles: string[]) => menuFor(roles).flatMap((g) => g.items.filter((i) => i.route).map((i) => i.key))

describe('the role-based menu (R-45)', () => {
  it('gives each role what the services let it do', () => {
    expect(keys(['team_lead'])).toEqual(expect.arrayContaining(['alloc-preview', 'alloc-rotation', 'billing-performance']))
    expect(keys(['team_lead'])).not.toContain('billing-statements')
    expect(keys(['finance'])).toEqual(expect.arrayContaining(['billing-statements', 'billing-schedules', 'alloc-case']))
    expect(keys(['finance'])).not.toContain('alloc-preview')
    expect(keys(['data_specialist'])).toEqual(['dashboard', 'worklist', 'complaints', 'disputes', 'claims', 'quality-flags',
      'contact-policies', 'intake-placements', 'intake-templates'])
    expect(keys(['collector'])).toEqual(['dashboard', 'worklist', 'inbound', 'claims', 'alloc-case'])
    expect(keys(['auditor'])).toContain('intake-audit')
    expect(keys(['auditor'])).not.toContain('alloc-preview')
  })

  it('has no screen left planned: the compliance screens are links (R-48, R-14..R-18)', () => {
    expect(MENU.flatMap((g) => g.items).filter((i) => i.planned)).toEqual([])
    expect(keys(['supervisor'])).toEqual(expect.arrayContaining(['quality', 'contact-policies']))
    expect(keys(['auditor'])).toEqual(expect.arrayContaining(['quality', 'contact-policies']))
    expect(keys(['admin'])).toEqual(expect.arrayContaining(['quality', 'contact-policies'])) // admins read violations
    expect(keys(['team_lead'])).toContain('contact-policies')
    expect(keys(['team_lead'])).not.toContain('quality') // inspectors are auditors and supervisors
    expect(keys(['collector'])).not.toContain('contact-policies')
    expect(keys(['collector'])).not.toContain('quality')
  })

  it("gives collectors, team leads and managers contact's screens (R-45)", () => {
    expect(keys(['team_lead'])).toEqual(expect.arrayContaining(['worklist', 'inbound', 'complaints', 'disputes', 'claims', 'quality-flags']))
    expect(keys(['collector'])).not.toContain('complaints') // the queue is for leads and managers
    expect(keys(['collector'])).not.toContain('quality-flags')
    expect(keys(['auditor'])).toEqual(expect.arrayContaining(['worklist', 'complaints', 'disputes']))
    expect(keys(['auditor'])).not.toContain('inbound') // reading is not taking calls
    expect(keys(['finance'])).not.toContain('worklist')
    expect(keys(['field_agent'])).not.toContain('worklist')
  })

  it("gives field and letters staff their screens (R-45)", () => {
    expect(keys(['field_agent'])).toEqual(['dashboard', 'agent-day'])
    expect(keys(['supervisor'])).toEqual(expect.arrayContaining(['visit-approvals', 'daily-plans', 'escalations', 'field-teams', 'letter-qc', 'letter-batches']))
    expect(keys(['team_lead'])).toEqual(expect.arrayContaining(['visit-approvals', 'daily-plans']))
    expect(keys(['collector'])).not.toContain('visit-approvals')
    expect(keys(['admin'])).not.toContain('visit-approvals') // admins manage teams but approve nothing
    expect(keys(['letters_clerk'])).toEqual(['dashboard', 'letter-batches', 'letter-qc', 'letter-returns', 'letter-list', 'letter-planning',
      'letter-templates', 'letter-config', 'letter-sms'])
    expect(menuFor(['letters_clerk']).map((g) => g.key)).toEqual(['home', 'letters'])
    expect(keys(['auditor'])).not.toContain('letter-returns') // recording a return is the clerk's
  })

  it('every role has a home, and every item names a route or a service', () => {
    for (const r of ROLES) expect(keys([r])).toContain('dashboard')
    for (const item of MENU.flatMap((g) => g.items)) expect(Boolean(item.route) !== Boolean(item.planned)).toBe(true)
  })

  it('menu items and routes agree on the roles', () => {
    const byName = new Map<string, { roles?: readonly string[] }>()
    const walk = (rs: typeof routes) => rs.forEach((r) => {
      if (r.name) byName.set(String(r.name), (r.meta ?? {}) as { roles?: readonly string[] })
      if (r.children) walk(r.children)
    })
    walk(routes)
    for (const item of MENU.flatMap((g) => g.items).filter((i) => i.route)) {
      const meta = byName.get(item.route!)
      expect(meta, item.route).toBeDefined()
      expect([...(meta!.roles ?? [])].sort(), item.route).toEqual([...item.roles].sort())
    }
  })
})
