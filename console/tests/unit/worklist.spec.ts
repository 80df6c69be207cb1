import { describe, expect, it } from 'vitest'
import { amountOrNull, colourClass, defaultScope, emptyFilter, fromRouteQuery, moveSelection, toApiQuery, toRouteQuery } from '@/utils/worklist'

describe('the worklist filter (R-24)', () => {
  it('sends only what narrows the list', () => {
    expect(toApiQuery(emptyFilter())).toEqual({ scope: 'own', sort: 'follow_up' })
    const f = { ...emptyFilter('team'), collector: ' demo-c01 ', status: ['PTP' as const], due_today: true, ptp_due: true,
      amount_min: '1,000', amount_max: '5000.5', dpd_bucket: ['M3' as const], client: 'bank-a', flag: ['dispute' as const], recall_within: 7, sort: 'amount' as const }
    expect(toApiQuery(f)).toEqual({ scope: 'team', sort: 'amount', collector_id: 'demo-c01', status: ['PTP'], due_today: true, ptp_due: true,
      amount_min: '1000', amount_max: '5000.5', dpd_bucket: ['M3'], client_id: 'bank-a', flag: ['dispute'], recall_within: 7 })
  })

  it('leaves out a bound that is not money and a team on the own list', () => {
    const f = { ...emptyFilter(), amount_min: '12.345', amount_max: 'abc', team: 't1' }
    expect(toApiQuery(f)).toEqual({ scope: 'own', sort: 'follow_up' })
    expect(amountOrNull(' 1,234.50 ')).toBe('1234.50')
    expect(amountOrNull('-1')).toBeNull()
  })

  it('goes through the address and back unchanged, dropping what it does not know', () => {
    const f = { ...emptyFilter('all'), scope: 'team' as const, team: 'demo-team', status: ['PTP' as const, 'URGENT' as const], overdue: true,
      never_contacted: true, amount_min: '100', dpd_bucket: ['M6+' as const], flag: ['special_population' as const], recall_within: 0, sort: 'effective' as const }
    const q = toRouteQuery(f, 'all')
    expect(q).toEqual({ scope: 'team', team: 'demo-team', status: 'PTP,URGENT', overdue: '1', never_contacted: '1', min: '100', dpd: 'M6+',
      flag: 'special_population', recall: '0', sort: 'effective' })
    expect(fromRouteQuery(q, 'all')).toEqual(f)
    expect(fromRouteQuery({ status: 'PTP,NOPE', dpd: 'M9', scope: 'everyone', recall: '999', sort: 'x', min: '1e5' }, 'own'))
      .toEqual({ ...emptyFilter('own'), status: ['PTP'] })
  })

  it('starts each role on the widest list it is given', () => {
    expect(defaultScope(['collector'])).toBe('own')
    expect(defaultScope(['team_lead'])).toBe('team')
    expect(defaultScope(['team_lead', 'supervisor'])).toBe('all')
    expect(defaultScope(['auditor'])).toBe('all')
  })

  it('colours rows by the name the service sends', () => {
    expect(colourClass('red')).toBe('wl-red')
    expect(colourClass('purple')).toBe('wl-grey')
  })
})

describe('keyboard navigation', () => {
  it('moves with j/k and the arrows inside the list and opens with Enter', () => {
    expect(moveSelection('j', -1, 3)).toBe(0)
    expect(moveSelection('j', 0, 3)).toBe(1)
    expect(moveSelection('ArrowDown', 2, 3)).toBe(2)
    expect(moveSelection('k', 0, 3)).toBe(0)
    expect(moveSelection('ArrowUp', 2, 3)).toBe(1)
    expect(moveSelection('End', 0, 3)).toBe(2)
    expect(moveSelection('Enter', 1, 3)).toBe('open')
    expect(moveSelection('Enter', -1, 3)).toBeNull()
    expect(moveSelection('x', 1, 3)).toBeNull()
    expect(moveSelection('j', -1, 0)).toBeNull()
  })
})
