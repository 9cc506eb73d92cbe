import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2-core CI: a few workers keep git-heavy tests from starving each other
    maxWorkers: 3,
  },
})
