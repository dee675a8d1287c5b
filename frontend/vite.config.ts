/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The frontend folder itself, independent of the directory vite is started from.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Django serves the built assets under STATIC_URL; django-vite prefixes it too.
  base: '/static/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Written to dist/manifest.json, which django-vite 3 reads.
    manifest: 'manifest.json',
    rollupOptions: {
      input: {
        eventreview: 'src/entries/eventreview.tsx',
        jobs: 'src/entries/jobs.tsx',
        review: 'src/entries/review.tsx',
        releases: 'src/entries/releases.tsx',
        site: 'src/entries/site.ts',
        stage1: 'src/entries/stage1.tsx',
        upload: 'src/entries/upload.ts',
        video: 'src/entries/video.ts',
        workspace: 'src/entries/workspace.tsx',
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
