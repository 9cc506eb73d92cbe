#!/usr/bin/env node
import {flush, handle, run} from '@oclif/core'

// oclif prints a stack for any error that is not its own; ours are one line unless DEBUG=git-pare* asks for more.
try {
  await run(process.argv.slice(2), import.meta.url)
  await flush()
} catch (err) {
  if (err?.oclif || /git-pare/.test(process.env.DEBUG ?? '')) {
    await handle(err)
  } else {
    process.stderr.write(`error: ${err?.message || String(err)}\n`)
    if (err?.hint) process.stderr.write(`hint: ${err.hint}\n`)
    process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1)
  }
}
