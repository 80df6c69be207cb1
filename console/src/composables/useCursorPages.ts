// Lists page with the services' opaque cursors (recoup_shared.paging): `cursor` in, `next_cursor`
// out. A cursor only goes forward, so the pages already seen keep their cursors on a stack for
// "previous"; `more()` appends the next page instead (long lists read top to bottom).
import { computed, ref, shallowRef } from 'vue'
import { ApiError, networkProblem } from '@/api/problem'
import { measureRender } from '@/utils/timing'

export interface CursorPagesOptions {
  /** record the drawing time of each page under this label (utils/timing.ts) */
  timing?: string
}

export function useCursorPages<P, T>(
  fetchPage: (cursor: string | null) => Promise<P>,
  rowsOf: (page: P) => readonly T[],
  nextOf: (page: P) => string | null | undefined,
  opts: CursorPagesOptions = {},
) {
  const page = shallowRef<P | null>(null)
  const items = shallowRef<T[]>([])
  const error = shallowRef<ApiError | null>(null)
  const loading = ref(false)
  const cursors = ref<(string | null)[]>([null]) // cursors[i] opens page i
  const nextCursor = ref<string | null>(null)

  async function load(cursor: string | null, append: boolean): Promise<boolean> {
    loading.value = true
    error.value = null
    try {
      const p = await fetchPage(cursor)
      const answeredAt = performance.now()
      const rows = [...rowsOf(p)]
      page.value = p
      items.value = append ? [...items.value, ...rows] : rows
      nextCursor.value = nextOf(p) ?? null
      if (opts.timing) await measureRender(opts.timing, rows.length, answeredAt)
      return true
    } catch (e) {
      error.value = e instanceof ApiError ? e : new ApiError(networkProblem(e))
      return false
    } finally {
      loading.value = false
    }
  }

  /** Back to the first page (filters changed, or a refresh). */
  async function first(): Promise<void> {
    cursors.value = [null]
    await load(null, false)
  }
  async function next(): Promise<void> {
    const c = nextCursor.value
    if (c === null) return
    if (await load(c, false)) cursors.value = [...cursors.value, c]
  }
  async function prev(): Promise<void> {
    if (cursors.value.length < 2) return
    const back = cursors.value.slice(0, -1)
    if (await load(back[back.length - 1] ?? null, false)) cursors.value = back
  }
  /** The next page appended to the rows shown. */
  async function more(): Promise<void> {
    const c = nextCursor.value
    if (c !== null) await load(c, true)
  }

  return {
    page, items, error, loading,
    pageNumber: computed(() => cursors.value.length),
    hasPrev: computed(() => cursors.value.length > 1),
    hasNext: computed(() => nextCursor.value !== null),
    first, next, prev, more,
  }
}

export type CursorPages = Pick<ReturnType<typeof useCursorPages>, 'pageNumber' | 'hasPrev' | 'hasNext' | 'loading' | 'next' | 'prev'>
