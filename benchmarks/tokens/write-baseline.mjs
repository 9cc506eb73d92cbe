// Write benchmarks/baseline.json from the last `npm run bench tokens` (benchmarks/results/tokens.json).
import {readFileSync, writeFileSync} from 'node:fs'

const {data} = JSON.parse(readFileSync(new URL('../results/tokens.json', import.meta.url), 'utf8'))
const out = {
  note: 'Token replay baseline (o200k). Regenerate with: npm run bench tokens && node benchmarks/tokens/write-baseline.mjs. A test fails when a total grows more than 10% over it.',
  scenarios: Object.fromEntries(data.scenarios.map((s) => [s.name, {total_input: s.total_input, largest_request: s.largest_request, tool_calls: s.tool_calls}])),
  plan_steps: Object.fromEntries(data.plan.steps.map((s) => [`step${s.n}`, {first_request: s.first}])),
  say_hi: data.plan.sayHi,
}
writeFileSync(new URL('../baseline.json', import.meta.url), JSON.stringify(out, null, 2) + '\n')
