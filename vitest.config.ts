import {availableParallelism} from 'node:os'
import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Measured on a loaded 2-core machine (the full suite beside other work): the slowest tests take 20-55 s
    // (pulled-plan, plan-refusals, work, pulled-session, pulled-data, step-parallel). Three times the slowest, so a
    // busy CI machine (.ci/run adds a CPU-bound process) does not turn slow into failed; a hang still ends.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // No test may ask the npm registry for a newer git-pare; the update-check tests point it at a stub instead.
    env: {NO_UPDATE_NOTIFIER: '1'},
    // One worker per core actually available: most tests spawn git and the CLI, so more workers than cores only
    // makes them starve each other (and time out) on a busy 2-core machine.
    maxWorkers: Math.max(1, Math.min(availableParallelism(), 8)),
  },
})
