// Gzipped size of the first load: index.html, the entry chunk and everything it imports
// statically, the CSS, and the chunks of the first screens a visitor sees (sign-in, the layout,
// the dashboard); then the heaviest other route on top of it. Exits 1 over the budget.
import { readFileSync, existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'

const BUDGET_KB = 500
const dist = process.env.RECOUP_CONSOLE_OUT_DIR
  ? join(new URL('..', import.meta.url).pathname, process.env.RECOUP_CONSOLE_OUT_DIR)
  : new URL('../dist/', import.meta.url).pathname
const manifestPath = join(dist, '.vite', 'manifest.json')
if (!existsSync(manifestPath)) {
  console.error('no dist/.vite/manifest.json: run vite build first')
  process.exit(2)
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length

function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen
  seen.add(key)
  for (const imp of manifest[key]?.imports ?? []) closure(imp, seen)
  return seen
}
function files(keys) {
  const out = new Set()
  for (const k of keys) {
    out.add(manifest[k].file)
    for (const css of manifest[k].css ?? []) out.add(css)
  }
  return out
}
const total = (set) => [...set].reduce((n, f) => n + gz(f), 0)

const FIRST_SCREENS = ['src/views/auth/SignInView.vue', 'src/components/AppLayout.vue', 'src/views/dashboard/DashboardView.vue']
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry)
const firstKeys = closure(entry)
for (const k of FIRST_SCREENS) if (manifest[k]) closure(k, firstKeys)
const first = files(firstKeys)
const firstBytes = total(first) + gzipSync(readFileSync(join(dist, 'index.html')), { level: 9 }).length

let heaviest = { name: '', bytes: 0 }
for (const key of manifest[entry].dynamicImports ?? []) {
  if (FIRST_SCREENS.includes(key)) continue
  const extra = [...files(closure(key))].filter((f) => !first.has(f))
  const bytes = extra.reduce((n, f) => n + gz(f), 0)
  if (bytes > heaviest.bytes) heaviest = { name: manifest[key].name ?? key, bytes }
}
const kb = (n) => (n / 1024).toFixed(1)
console.log(`first load ${kb(firstBytes)} KB gzipped (${first.size + 1} files, budget ${BUDGET_KB} KB); ` +
  `heaviest route +${kb(heaviest.bytes)} KB (${heaviest.name})`)
if (firstBytes > BUDGET_KB * 1024) {
  console.error(`first load over the ${BUDGET_KB} KB budget`)
  process.exit(1)
}
