import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiServer = 'http://localhost:8080';

/**
 * Builds the web UI from web/ into web/dist, which the scamnet server serves under `/`.
 * JSX goes through Vite's own esbuild transform (automatic runtime), so no React plugin is needed.
 * In `vite dev` the API paths are proxied to a scamnet server on port 8080.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // The largest chunk is Apache ECharts (≈ 540 kB), loaded only by the statistics page.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for server-component bundlers; harmless here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': apiServer,
      '/healthz': apiServer,
      '/openapi.json': apiServer,
    },
  },
});
