import { describe, expect, it } from 'vitest'
import { ApiError, complianceReasons, fieldErrors, isProblem, problemSlug, toProblem } from '@/api/problem'

const validation = {
  type: 'https://recoup.example/problems/validation-error',
  title: 'The request is not valid',
  status: 422,
  detail: 'the fee schedule is not valid',
  errors: [
    { field: 'buckets[1].base_rate', reason: 'at most 6 decimal places' },
    { field: 'reduction_pct', reason: 'must be between 0 and 1' },
    { field: 'cursor', reason: 'not a cursor' },
  ],
}

describe('problem+json', () => {
  it('recognises a problem and its slug', () => {
    expect(isProblem(validation)).toBe(true)
    expect(isProblem({ message: 'x' })).toBe(false)
    expect(problemSlug(validation)).toBe('validation-error')
  })

  it('makes a problem of a body that is not one', () => {
    const p = toProblem(502, '<html>Bad gateway</html>', 'Bad Gateway')
    expect(p).toMatchObject({ status: 502, title: 'Bad Gateway', type: 'about:blank' })
    expect(p.detail).toContain('Bad gateway')
    expect(toProblem(500, undefined).title).toBe('HTTP 500')
  })

  it('drops malformed field errors', () => {
    const p = toProblem(422, { ...validation, errors: [{ field: 'a', reason: 'b' }, { nope: 1 }] })
    expect(p.errors).toEqual([{ field: 'a', reason: 'b' }])
  })

  it("keeps letters' template problems with their line and code", () => {
    const p = toProblem(422, { type: 'https://recoup.example/problems/template-rejected', title: 'The template is not acceptable', status: 422,
      errors: [{ field: 'source', line: 3, code: 'unknown_variable', message: "'id_number' is not a letter variable" }, { field: 'source', line: null, code: 'x', message: 'm' }] })
    expect(p.errors).toEqual([
      { field: 'source', line: 3, code: 'unknown_variable', reason: "'id_number' is not a letter variable" },
      { field: 'source', line: null, code: 'x', reason: 'm' },
    ])
    expect(fieldErrors(p, ['source']).byField.source).toContain("'id_number' is not a letter variable")
  })

  it('reads the reasons of a compliance refusal', () => {
    const p = toProblem(409, { type: 'https://recoup.example/problems/visit-refused-by-compliance', title: 'refused', status: 409,
      reasons: [{ rule: 'window.outside', ref: 'R-14', detail: 'outside', next_allowed: '2026-12-08T08:00:00+08:00' }, { nope: 1 }] })
    expect(complianceReasons(p)).toEqual([{ rule: 'window.outside', ref: 'R-14', detail: 'outside', next_allowed: '2026-12-08T08:00:00+08:00' }])
    expect(complianceReasons(toProblem(409, validation))).toEqual([])
  })

  it('puts field errors beside the inputs a form shows, the rest above it', () => {
    const { byField, other } = fieldErrors(toProblem(422, validation), ['buckets', 'reduction_pct'])
    expect(byField['buckets[1].base_rate']).toBe('at most 6 decimal places')
    expect(byField.buckets).toBe('at most 6 decimal places') // the nearest shown parent
    expect(byField.reduction_pct).toBe('must be between 0 and 1')
    expect(other).toEqual([{ field: 'cursor', reason: 'not a cursor' }])
  })

  it('strips the body prefix of FastAPI locations and joins two reasons', () => {
    const p = toProblem(422, { ...validation, errors: [
      { field: 'body.name', reason: 'required' }, { field: 'name', reason: 'too long' }] })
    expect(fieldErrors(p, ['name']).byField.name).toBe('required; too long')
  })

  it('an ApiError says the title and the detail', () => {
    const e = new ApiError(toProblem(422, validation), 'cid-1')
    expect(e.message).toBe('The request is not valid: the fee schedule is not valid')
    expect(e.status).toBe(422)
    expect(e.slug).toBe('validation-error')
    expect(e.correlationId).toBe('cid-1')
  })
})
