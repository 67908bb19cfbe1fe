import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Builds the console into ../dist/public (served by src/web-server.ts). The manifest lets
// src/report-bundle-size.ts measure what a first visit downloads.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/public',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    // Vite would inline small assets as data: URLs; keep every asset a file (strict CSP).
    assetsInlineLimit: 0,
    // The budget that matters is checked by report-bundle-size (first load, gzip).
    chunkSizeWarningLimit: 1024,
  },
});
