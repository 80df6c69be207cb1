import { describe, expect, it } from 'vitest'
import { FORM_FIELDS, changedKeys, flatten, fromForm, parseWindows, showValue, toForm, unflatten } from '@/utils/policy'
import { fieldErrors } from '@/api/problem'

const CLIENT = {
  preset: 'cn_default',
  windows: { mon: ['09:00-12:00', '14:00-20:00'], sat: ['10:00-18:00'], holiday: null },
  caps: { effective_calls_per_day: 2, sms_per_day: null },
  regf: { calls_per_period: 7 },
}

describe('a stored level in the policy editor', () => {
  it('flattens nested values to dotted keys and back; lists and null are values', () => {
    const flat = flatten(CLIENT)
    expect(flat).toEqual({
      preset: 'cn_default', 'windows.mon': ['09:00-12:00', '14:00-20:00'], 'windows.sat': ['10:00-18:00'], 'windows.holiday': null,
      'caps.effective_calls_per_day': 2, 'caps.sms_per_day': null, 'regf.calls_per_period': 7,
    })
    expect(unflatten(flat)).toEqual(CLIENT)
  })

  it('puts the keys it has inputs for in them, the rest (and explicit nulls) in the JSON box', () => {
    const form = toForm(CLIENT)
    expect(form.preset).toBe('cn_default')
    expect(form.windows.mon).toBe('09:00-12:00, 14:00-20:00')
    expect(form.windows.sun).toBe('')
    expect(form.caps['caps.effective_calls_per_day']).toBe('2')
    expect(JSON.parse(form.other)).toEqual({ windows: { holiday: null }, caps: { sms_per_day: null }, regf: { calls_per_period: 7 } })
  })

  it('gives the same values back when nothing was edited, and leaves empty inputs to inheritance', () => {
    expect(fromForm(toForm(CLIENT))).toEqual({ values: CLIENT, error: null })
    const form = toForm(CLIENT)
    form.windows.sat = ''
    form.windows.sun = '10:00-12:00，15:00-17:00'
    form.caps['caps.effective_calls_per_day'] = ''
    form.caps['caps.call_attempts_per_day'] = 'lots'   // sent as typed: the service names it (422)
    const out = fromForm(form)
    expect(out.error).toBeNull()
    expect(out.values).toMatchObject({ windows: { mon: ['09:00-12:00', '14:00-20:00'], sun: ['10:00-12:00', '15:00-17:00'] }, caps: { call_attempts_per_day: 'lots' } })
    expect(flatten(out.values!)).not.toHaveProperty('windows.sat')
    expect(flatten(out.values!)).not.toHaveProperty('caps.effective_calls_per_day')
  })

  it('refuses JSON that is not an object before sending anything', () => {
    expect(fromForm({ ...toForm({}), other: '{"caps": ' }).error).toBeTruthy()
    expect(fromForm({ ...toForm({}), other: '[1]' }).error).toBe('not a JSON object')
    expect(fromForm(toForm({})).values).toEqual({})
  })

  it("splits windows on commas, 、 and spaces", () => {
    expect(parseWindows(' 08:00-12:00 、13:00-21:00,,')).toEqual(['08:00-12:00', '13:00-21:00'])
    expect(parseWindows('')).toEqual([])
  })

  it("puts the service's 422 beside the input it is about", () => {
    const problem = { type: 'x', title: 'invalid', status: 422, errors: [
      { field: 'values.windows.mon[1]', reason: 'windows overlap' },
      { field: 'values.caps.call_attempts_per_day', reason: 'must be an integer' },
      { field: 'values.regf.calls_per_period', reason: 'must be >= 0' },
      { field: 'body.reason', reason: 'Field required' },
    ] }
    const { byField, other } = fieldErrors(problem, FORM_FIELDS)
    expect(byField['values.windows.mon']).toBe('windows overlap')
    expect(byField['values.caps.call_attempts_per_day']).toBe('must be an integer')
    expect(byField.reason).toBe('Field required')
    expect(other).toEqual([{ field: 'values.regf.calls_per_period', reason: 'must be >= 0' }])
  })
})

describe('the version history', () => {
  it('names what each version changed against the one before', () => {
    expect(changedKeys(null, CLIENT).added).toContain('windows.mon')
    const next = { ...CLIENT, windows: { ...CLIENT.windows, mon: ['09:00-20:00'] }, caps: { effective_calls_per_day: 2 } }
    expect(changedKeys(CLIENT, next)).toEqual({ added: [], changed: ['windows.mon'], removed: ['caps.sms_per_day'] })
  })

  it('shows values in words', () => {
    expect(showValue(['08:00-21:00', '22:00-23:00'])).toBe('08:00-21:00, 22:00-23:00')
    expect(showValue(null)).toBe('∅')
    expect(showValue(3)).toBe('3')
    expect(showValue({ since: null })).toBe('{"since":null}')
  })
})
