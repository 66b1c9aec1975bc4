// Built by `npm run build -w @centroid/dashboard` (or automatically by scripts/ensure-built.mjs
// on install, start and before the browser tests); the server serves dist/ at `/`.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  plugins: [preact()],
  // Relative asset URLs: the same build works whatever path the server mounts it on.
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200, sourcemap: false },
  // `npm run dev -w @centroid/dashboard` proxies the API to a server started with `npm start`.
  server: { proxy: { '/v1': 'http://127.0.0.1:8000' } },
});
