import { describe, expect, it } from 'vitest'
import { money, pct, subMoney, sumMoney, thisMonth, toCents } from '@/utils/format'

describe('money (R-44: never through a float)', () => {
  it('groups thousands and keeps two decimals', () => {
    expect(money('1234567.5')).toBe('1,234,567.50')
    expect(money('-9000')).toBe('-9,000.00')
    expect(money('0.1')).toBe('0.10')
    expect(money(null)).toBe('—')
  })

  it('keeps digits a float would lose', () => {
    expect(money('90071992547409931.99')).toBe('90,071,992,547,409,931.99')
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30')
    expect(sumMoney(['90071992547409931.99', '0.01'])).toBe('90071992547409932.00')
  })

  it('subtracts and rounds half up past the cent', () => {
    expect(subMoney('701224.06', '708590.30')).toBe('-7366.24')
    expect(toCents('1.005')).toBe(101n)
    expect(toCents('1.004')).toBe(100n)
    expect(toCents('x')).toBeNull()
  })

  it('shows rates as percentages exactly', () => {
    expect(pct('0.4444')).toBe('44.44%')
    expect(pct('0.10')).toBe('10%')
    expect(pct('0.264')).toBe('26.4%')
    expect(pct('1')).toBe('100%')
    expect(pct('44.44%')).toBe('44.44%')
  })

  it('takes the month in the business zone', () => {
    // 2026-11-30 17:00 UTC is already December in Shanghai
    expect(thisMonth(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12')
  })
})
