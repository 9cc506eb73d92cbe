// Draft a JSON schema for a command's --json output from samples written by the json-output test:
//   PARE_JSON_SAMPLES=/tmp/samples npx vitest run test/cli/json-output.test.ts
//   node scripts/draft-schema.mjs /tmp/samples "plan show" [--map key …] > schemas/plan-show.json
// The draft is a start: review it against the command's result type (optional fields, enums, nullables).
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'

const [dir, command, ...rest] = process.argv.slice(2)
if (!dir || !command) {
  process.stderr.write('usage: node scripts/draft-schema.mjs <samples-dir> "<command>" [--map key …]\n')
  process.exit(2)
}
const maps = new Set(rest.filter((a) => a !== '--map'))
const outs = readdirSync(dir)
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')))
  .filter((s) => s.command === command && !('error' in s.out))
  .map((s) => s.out.result)
if (!outs.length) {
  process.stderr.write(`no successful sample of "${command}" in ${dir}\n`)
  process.exit(1)
}

function typeOf(v) {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

/** One schema covering every value seen at this place. */
function infer(values, key) {
  const types = [...new Set(values.map(typeOf))]
  const parts = []
  for (const t of types) {
    const vs = values.filter((v) => typeOf(v) === t)
    if (t === 'object') {
      if (maps.has(key)) {
        parts.push({type: 'object', additionalProperties: infer(vs.flatMap((v) => Object.values(v)), undefined) ?? {}})
        continue
      }
      const keys = [...new Set(vs.flatMap((v) => Object.keys(v)))]
      const properties = Object.fromEntries(keys.map((k) => [k, infer(vs.filter((v) => k in v).map((v) => v[k]), k)]))
      const required = keys.filter((k) => vs.every((v) => k in v))
      parts.push({type: 'object', ...(required.length ? {required} : {}), properties, additionalProperties: false})
    } else if (t === 'array') {
      const items = vs.flat()
      parts.push(items.length ? {type: 'array', items: infer(items, key)} : {type: 'array'})
    } else if (t === 'integer' && types.includes('number')) {
      continue
    } else {
      parts.push({type: t})
    }
  }
  if (parts.length === 1) return parts[0]
  if (parts.every((p) => Object.keys(p).length === 1)) return {type: parts.map((p) => p.type)}
  return {anyOf: parts}
}

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: `git pare ${command} --json`,
  type: 'object',
  required: ['status', 'result', 'warnings'],
  properties: {status: {type: 'integer'}, result: infer(outs, undefined), warnings: {type: 'array', items: {type: 'string'}}},
  additionalProperties: false,
}
process.stdout.write(JSON.stringify(schema, null, 2) + '\n')
