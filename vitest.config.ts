import {availableParallelism} from 'node:os'
import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // No test may ask the npm registry for a newer git-pare; the update-check tests point it at a stub instead.
    env: {NO_UPDATE_NOTIFIER: '1'},
    // One worker per core actually available: most tests spawn git and the CLI, so more workers than cores only
    // makes them starve each other (and time out) on a busy 2-core machine.
    maxWorkers: Math.max(1, Math.min(availableParallelism(), 8)),
  },
})
