import { describe, expect, it } from 'vitest'
import { useCursorPages } from '@/composables/useCursorPages'
import { ApiError } from '@/api/problem'

// a list of 7 rows served 3 a page with opaque cursors, as recoup_shared.paging does
const ROWS = ['a', 'b', 'c', 'd', 'e', 'f', 'g']
function server(asked: (string | null)[]) {
  return async (cursor: string | null) => {
    asked.push(cursor)
    const start = cursor === null ? 0 : Number(atob(cursor))
    const items = ROWS.slice(start, start + 3)
    return { items, next_cursor: start + 3 < ROWS.length ? btoa(String(start + 3)) : null }
  }
}

describe('cursor paging', () => {
  it('goes forward with next_cursor and back through the cursors it kept', async () => {
    const asked: (string | null)[] = []
    const p = useCursorPages(server(asked), (x) => x.items, (x) => x.next_cursor)
    await p.first()
    expect(p.items.value).toEqual(['a', 'b', 'c'])
    expect([p.hasPrev.value, p.hasNext.value, p.pageNumber.value]).toEqual([false, true, 1])
    await p.next()
    await p.next()
    expect(p.items.value).toEqual(['g'])
    expect([p.hasNext.value, p.pageNumber.value]).toEqual([false, 3])
    await p.next() // nothing after the last page
    expect(asked.length).toBe(3)
    await p.prev()
    expect(p.items.value).toEqual(['d', 'e', 'f'])
    expect(asked[asked.length - 1]).toBe(btoa('3')) // the cursor the service gave, sent back as is
    await p.prev()
    expect([p.items.value, p.hasPrev.value]).toEqual([['a', 'b', 'c'], false])
  })

  it('appends with more(), and restarts on first()', async () => {
    const p = useCursorPages(server([]), (x) => x.items, (x) => x.next_cursor)
    await p.first()
    await p.more()
    await p.more()
    expect(p.items.value).toEqual(ROWS)
    await p.first()
    expect(p.items.value).toEqual(['a', 'b', 'c'])
    expect(p.pageNumber.value).toBe(1)
  })

  it('keeps the page it had when a page fails, with the error', async () => {
    let fail = false
    const base = server([])
    const p = useCursorPages(async (c: string | null) => {
      if (fail) throw new ApiError({ type: 'about:blank', title: 'Bad cursor', status: 422 })
      return base(c)
    }, (x) => x.items, (x) => x.next_cursor)
    await p.first()
    fail = true
    await p.next()
    expect(p.error.value?.status).toBe(422)
    expect(p.items.value).toEqual(['a', 'b', 'c'])
    expect(p.pageNumber.value).toBe(1)
  })
})
