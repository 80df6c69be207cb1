import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/theme-chalk/base.css'
import './styles.css'
import App from './App.vue'
import BootError from './components/BootError.vue'
import { loadConfig } from './config'
import { i18n } from './i18n'
import { makeRouter } from './router'
import { useSession } from './stores/session'

async function boot(): Promise<void> {
  try {
    await loadConfig()
  } catch (e) {
    createApp(BootError, { error: e instanceof Error ? e.message : String(e) }).use(i18n).mount('#app')
    return
  }
  const app = createApp(App)
  app.use(createPinia())
  app.use(i18n)
  await useSession().restore()
  app.use(makeRouter())
  app.mount('#app')
}

void boot()
