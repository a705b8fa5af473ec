import { defineConfig } from 'vite';

// Plain esbuild JSX for Preact (no Babel preset needed). Everything is bundled: the
// server's CSP allows only 'self' scripts and styles, so nothing may be inlined.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URIs for assets (CSP img-src may not allow them)
    modulePreload: { polyfill: false }, // the polyfill is an inline script
    target: 'es2022',
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
