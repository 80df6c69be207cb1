import { ref, shallowRef } from 'vue'
import { ApiError, networkProblem } from '@/api/problem'

/** A load or an action: its data, its error (an ApiError) and whether it runs. */
export function useAsync<T, A extends unknown[]>(fn: (...args: A) => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const loading = ref(false)
  async function run(...args: A): Promise<T | null> {
    loading.value = true
    error.value = null
    try {
      const out = await fn(...args)
      data.value = out
      return out
    } catch (e) {
      error.value = e instanceof ApiError ? e : new ApiError(networkProblem(e))
      return null
    } finally {
      loading.value = false
    }
  }
  return { data, error, loading, run }
}
