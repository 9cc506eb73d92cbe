import {Flags} from '@oclif/core'
import type {Runtime} from '../core/agent/runtime.js'
import {UsageError} from '../core/errors/index.js'
import type {CostMeter} from '../core/model/cost.js'

/** `--max-cost USD` for the commands that call a model (run, step, plan, chat). */
export const maxCostFlag = {
  'max-cost': Flags.custom<number>({
    description: 'stop before the request that could take the spend past this many USD (the checkpoint is kept; exit 6)',
    helpValue: 'USD',
    parse: async (input) => {
      const n = Number(input.trim().replace(/^\$/, ''))
      if (!input.trim() || !Number.isFinite(n) || n <= 0) throw new UsageError(`--max-cost must be an amount in USD above 0, like 0.50 (got "${input}")`)
      return n
    },
  })(),
}

/**
 * The command's meter: the profile's prices, and the --max-cost limit when given. A limit needs a price for every
 * model the command may use; without one it is refused before any request (a limit that cannot be held is no limit).
 */
export async function commandMeter(rt: Runtime, maxCost: number | undefined, models: string[]): Promise<CostMeter> {
  const {profileMeter} = await import('../core/model/cost.js')
  const meter = profileMeter(rt.profile, maxCost)
  if (maxCost !== undefined) {
    const unpriced = [...new Set(models)].filter((m) => !meter.knows(m))
    if (unpriced.length) {
      throw new UsageError(
        `--max-cost needs prices, and none is known for ${unpriced.join(', ')}`,
        'set cost_per_mtok_input and cost_per_mtok_output in the profile (`git pare config`), or leave out --max-cost',
        'no_prices',
      )
    }
  }
  return meter
}
