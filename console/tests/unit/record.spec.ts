import { describe, expect, it } from 'vitest'
import { asCodeTable, buildRecord, codesFor, emptyRecord, requiredFields, resultsFor, sections, statusChoice, zonedIso } from '@/utils/record'
import { STATUSES } from '@/utils/worklist'

// a slice of the agency's default table (recoup_contact/rules/codes.py default_code_table)
const TABLE = asCodeTable({
  client_id: 'bank-a', version: 3, effective_from: '2026-01-01', codes: [
    { code: 'PTP', label: '承诺还款', results: ['connected', 'visit_met'], channels: ['outbound_call', 'inbound_call', 'sms', 'visit', 'letter'],
      parties: ['debtor', 'contact_person', 'third_party'], implies: 'PTP', allows: [], requires: ['promise'], active: true },
    { code: 'PTPI', label: '分期还款', results: ['connected', 'visit_met'], channels: [], parties: [], implies: 'PTP_INSTALMENT', allows: [], requires: ['instalments'], active: true },
    { code: 'RS', label: '本人可联', results: ['connected', 'callback_requested', 'visit_met'], channels: [], parties: ['debtor'], implies: 'REACHABLE_SELF', allows: [], requires: [], active: true },
    { code: 'NA', label: '无人接听', results: ['no_answer', 'busy', 'refused', 'hung_up'], channels: ['outbound_call', 'inbound_call'], parties: [],
      implies: null, allows: ['NO_ANSWER', 'LOST_CONTACT'], requires: [], active: true },
    { code: 'CB', label: '约定回电', results: ['callback_requested'], channels: [], parties: [], implies: null, allows: [], requires: ['callback_at'], active: true },
    { code: 'OFF', label: '关机', results: ['switched_off'], channels: ['outbound_call', 'inbound_call'], parties: [], implies: null, allows: [], requires: [], active: true },
    { code: 'SMS', label: '短信', results: ['sms_sent', 'sms_failed'], channels: ['sms'], parties: [], implies: null, allows: [], requires: [], active: true },
    { code: 'OLD', label: '停用', results: ['connected'], channels: [], parties: [], implies: null, allows: [], requires: [], active: false },
    { label: 'no code: dropped' },
  ],
})
const code = (c: string) => TABLE.codes.find((x) => x.code === c)

describe("the client's code table on the contact form", () => {
  it('offers the active codes that fit the channel and the party', () => {
    expect(TABLE.codes.map((c) => c.code)).toEqual(['PTP', 'PTPI', 'RS', 'NA', 'CB', 'OFF', 'SMS', 'OLD'])
    expect(codesFor(TABLE, 'outbound_call', 'debtor').map((c) => c.code)).toEqual(['PTP', 'PTPI', 'RS', 'NA', 'CB', 'OFF'])
    expect(codesFor(TABLE, 'outbound_call', 'third_party').map((c) => c.code)).toEqual(['PTP', 'PTPI', 'NA', 'CB', 'OFF'])
    expect(codesFor(TABLE, 'sms', 'debtor').map((c) => c.code)).toEqual(['SMS'])
    // an inbound call is answered by us: a code only about switched-off phones does not fit it
    expect(codesFor(TABLE, 'inbound_call', 'debtor').map((c) => c.code)).toEqual(['PTP', 'PTPI', 'RS', 'NA', 'CB'])
  })

  it('narrows the results to what the code and the channel allow', () => {
    expect(resultsFor(code('NA'), 'outbound_call')).toEqual(['no_answer', 'busy', 'refused', 'hung_up'])
    expect(resultsFor(code('NA'), 'inbound_call')).toEqual(['hung_up'])
    expect(resultsFor(code('PTP'), 'outbound_call')).toEqual(['connected'])
    expect(resultsFor(undefined, 'sms')).toEqual(['sms_sent', 'sms_failed'])
  })

  it("takes the status from the code, or lets the collector pick among the code's", () => {
    expect(statusChoice(code('PTP'), STATUSES)).toEqual({ fixed: 'PTP', options: ['PTP'] })
    expect(statusChoice(code('NA'), STATUSES)).toEqual({ fixed: null, options: ['NO_ANSWER', 'LOST_CONTACT'] })
    expect(statusChoice(code('CB'), STATUSES).options).toHaveLength(STATUSES.length)
  })

  it('asks for what the code and the status require (R-22, R-23)', () => {
    expect([...requiredFields(code('PTP'), 'PTP')]).toEqual(['promise'])
    expect([...requiredFields(code('CB'), 'DISPUTE')].sort()).toEqual(['callback_at', 'dispute_reason'])
    expect(sections(code('PTPI'), 'PTP_INSTALMENT', 'connected').promise).toBe('plan')
    expect(sections(code('PTP'), 'PTP', 'connected').promise).toBe('single')
    expect(sections(code('NA'), 'NO_ANSWER', 'no_answer')).toMatchObject({ promise: null, callback: false, dispute: false })
    expect(sections(code('RS'), 'REACHABLE_SELF', 'callback_requested').callback).toBe(true)
  })
})

describe('the contact record sent', () => {
  it('is a single promise for PTP, with the call it belongs to', () => {
    const form = { ...emptyRecord(), point_id: 'p-1', call_id: 'c-1', result: 'connected' as const, code: 'PTP', status: 'URGENT',
      promise: { amount: '5,000.00', due_on: '2026-12-03' }, notes: ' 答应周四前还五千 ', dispute_reason: 'ignored' }
    expect(buildRecord(form, code('PTP'), 'Asia/Shanghai')).toEqual({
      channel: 'outbound_call', party: 'debtor', result: 'connected', code: 'PTP', notes: '答应周四前还五千', point_id: 'p-1', call_id: 'c-1',
      promise: { amount: '5000.00', due_on: '2026-12-03', settlement: false, waiver_authorisation: undefined },
    })
  })

  it('is an instalment plan for PTP_INSTALMENT; a wrong amount goes as typed for the service to name', () => {
    const form = { ...emptyRecord(), result: 'connected' as const, code: 'PTPI',
      instalments: [{ amount: '1000', due_on: '2026-12-10' }, { amount: '1000.123', due_on: '2027-01-10' }] }
    expect(buildRecord(form, code('PTPI'), 'Asia/Shanghai').promise).toEqual({
      instalments: [{ amount: '1000', due_on: '2026-12-10' }, { amount: '1000.123', due_on: '2027-01-10' }], settlement: false, waiver_authorisation: undefined })
  })

  it("carries a call-back time on the debtor's clock and the findings typed", () => {
    const form = { ...emptyRecord(), result: 'callback_requested' as const, code: 'CB', status: 'NIGHT_FOLLOW_UP', callback_at: '2026-12-01 19:30',
      found: { phones: [{ number: ' 13912345678 ', kind: 'mobile' as const, party: 'contact_person' as const, name: ' 李四 ', relationship: 'spouse' as const, knows_debt: true },
        { number: '  ', kind: 'mobile' as const, party: 'debtor' as const }], addresses: [], employer: '' } }
    const body = buildRecord(form, code('CB'), 'America/New_York')
    expect(body.status).toBe('NIGHT_FOLLOW_UP')
    expect(body.callback_at).toBe('2026-12-01T19:30:00-05:00')
    expect(body.found).toEqual({ phones: [{ number: '13912345678', kind: 'mobile', party: 'contact_person', name: '李四', relationship: 'spouse', knows_debt: true }],
      addresses: [], employer: undefined })
  })
})

describe('wall-clock times in a zone', () => {
  it('gives the offset the zone has then (DST included)', () => {
    expect(zonedIso('2026-12-01 21:05', 'Asia/Shanghai')).toBe('2026-12-01T21:05:00+08:00')
    expect(zonedIso('2026-07-01T08:00', 'America/New_York')).toBe('2026-07-01T08:00:00-04:00')
    expect(zonedIso('2026-01-15 08:00', 'Asia/Kolkata')).toBe('2026-01-15T08:00:00+05:30')
    expect(zonedIso('yesterday', 'Asia/Shanghai')).toBeNull()
  })
})

describe('a promise left empty', () => {
  it('is not sent: the service then names the field the code requires', () => {
    const form = { ...emptyRecord(), result: 'connected' as const, code: 'PTP' }
    expect(buildRecord(form, code('PTP'), 'Asia/Shanghai').promise).toBeUndefined()
  })
})
