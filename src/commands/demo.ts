import {Flags} from '@oclif/core'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {BaseCommand} from '../cli/base-command.js'
import {PareError} from '../core/errors/index.js'
import type {DemoResult} from '../core/demo/run-demo.js'

export default class Demo extends BaseCommand {
  static summary = 'See git pare work end to end on a throwaway repository with an embedded demo model (no API key)'
  static description = `Creates a temporary TypeScript repository, starts the embedded scripted demo model on 127.0.0.1
(clearly not a real model: it replays a fixed script), and runs the real commands as you would:
plan, plan approve, step --all, log, undo, log, printing each command and its output.`
  static examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --keep']
  static flags = {keep: Flags.boolean({description: 'keep the demo repository and print where it is'})}

  async run(): Promise<DemoResult> {
    const {flags} = await this.parse(Demo)
    const {runDemo} = await import('../core/demo/run-demo.js')
    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/run.js')
    if (!this.jsonEnabled()) this.log('git pare demo · model: pare-demo, an embedded scripted model (not a real LLM), served on 127.0.0.1\n')
    const res = await runDemo({
      bin,
      keep: flags.keep,
      onStep: (s) => {
        if (this.jsonEnabled()) return
        this.log(`$ ${s.command}`)
        if (s.output) this.log(s.output)
        this.log('')
      },
    })
    if (!res.ok) {
      const bad = res.steps.at(-1)
      throw new PareError(`the demo stopped at \`${bad?.command}\` (exit ${bad?.code})`, {code: 'demo_failed', hint: 'run with DEBUG=git-pare* for details'})
    }
    if (!this.jsonEnabled()) this.log(flags.keep ? `demo repository kept at ${res.repo}` : 'demo done; the temporary repository was removed. Configure a real model with `git pare config`.')
    return res
  }
}
