import { computed, shallowRef } from 'vue'
import { fieldErrors, type FieldError } from '@/api/problem'
import type { ApiError } from '@/api/problem'

/** Field-by-field errors of a form from a problem+json answer: `error(field)` for an input's
 *  el-form-item, `other` for the ones no input shows, `problem` for the alert above the form. */
export function useFormErrors(known: readonly string[]) {
  const problem = shallowRef<ApiError | null>(null)
  const split = computed(() => (problem.value ? fieldErrors(problem.value.problem, known) : { byField: {}, other: [] as FieldError[] }))
  return {
    problem,
    other: computed(() => split.value.other),
    error: (field: string): string => (split.value.byField as Record<string, string>)[field] ?? '',
    set(e: ApiError | null) {
      problem.value = e
    },
    clear() {
      problem.value = null
    },
  }
}
