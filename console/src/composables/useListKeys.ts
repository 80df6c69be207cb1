// Keyboard navigation of a list (the worklist): j/k or the arrows move the selection, Enter opens
// the selected row. Keys typed into a field, or with a modifier, are left alone.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'
import { moveSelection } from '@/utils/worklist'

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target.closest('.el-dialog, .el-drawer, .el-select-dropdown, .el-picker-panel')) return true
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

export function useListKeys(length: Ref<number>, open: (index: number) => void) {
  const selected = ref(-1)
  function onKey(e: KeyboardEvent) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
    const next = moveSelection(e.key, selected.value, length.value)
    if (next === null) return
    e.preventDefault()
    if (next === 'open') open(selected.value)
    else selected.value = next
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
  return { selected }
}
