// Run detached by the update notice (`node worker.js <name> <state-file>`): asks the registry once and records
// the answer. Nothing waits for it; a failure only records that a check was made.
import {fetchLatest, registryUrl} from './fetch-latest.js'
import {writeUpdateState} from './state.js'

const [name, file] = process.argv.slice(2)
if (name && file) {
  const latest = await fetchLatest(registryUrl(process.env), name)
  writeUpdateState(file, {checked_at: Date.now(), ...(latest ? {latest} : {})})
}
