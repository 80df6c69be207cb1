// How long a table takes from the API's answer to being drawn: the time between the answer and
// the first animation frame after Vue has rendered the rows. Kept on window.__recoupTimings for
// the browser tests to print (issue 13: a 50-row page within 300 ms of the answer).
import { nextTick } from 'vue'

export interface RenderTiming {
  label: string
  rows: number
  ms: number
}

declare global {
  interface Window {
    __recoupTimings?: RenderTiming[]
  }
}

/** Call right after the answer arrived, before assigning the rows; resolves once drawn. */
export async function measureRender(label: string, rows: number, answeredAt: number = performance.now()): Promise<RenderTiming> {
  await nextTick()
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()))
  const timing = { label, rows, ms: Math.round((performance.now() - answeredAt) * 10) / 10 }
  ;(window.__recoupTimings ??= []).push(timing)
  return timing
}
