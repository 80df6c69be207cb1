/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// `npm run dev` talks to the local gateway of `make up` (one origin: /api, /auth, /config.json).
const gateway = process.env.RECOUP_GATEWAY ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: only the components (and their CSS) a chunk uses are bundled,
    // which keeps the first load small (printed by scripts/size.mjs after each build).
    AutoImport({ resolvers: [ElementPlusResolver()], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts', dirs: [] }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    // `make up` builds into a fresh directory and swaps it in whole (console_build.py), so a
    // running gateway never serves half a build
    outDir: process.env.RECOUP_CONSOLE_OUT_DIR ?? 'dist',
    target: 'es2022',
    manifest: true, // read by scripts/size.mjs
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // Vue, the router, Pinia and i18n change rarely: one long-cached vendor chunk.
        manualChunks(id) {
          if (/node_modules\/(@vue|vue|vue-router|pinia|vue-i18n|@intlify)\//.test(id)) return 'vue'
          return undefined
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': gateway,
      '/auth/dev': gateway,
      '/config.json': gateway,
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.spec.ts'],
  },
})
