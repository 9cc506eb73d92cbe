import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {modelFlags} from '../cli/model-flags.js'
import {openAgentSession} from '../cli/agent-session.js'
import {ExitCode, UsageError} from '../core/errors/index.js'
import type {WorkEvent, WorkResult} from '../core/work/worker.js'
import {neutraliseLine as one} from '../core/text/terminal.js'

export default class Work extends BaseCommand {
  static summary = 'Work on a shared plan from any clone: claim its next ready step on the remote, run it, push the result'
  static description = `Fetches the plan, its claims and its step branches from the remote, and takes the next step that is pending, whose steps it waits for are done, and that no other worker holds: it claims it by pushing refs/parecode/claims/<plan>/<n> with compare-and-swap (one of any racing workers wins; the others move on), renews the claim while the step runs (every third of --lease), runs the step in a worktree of its own from the plan's base plus the done steps it waits for, and pushes its branch pare/<plan>-<n>, the plan marked done (or failed) and the claim's release in one atomic push. It goes on until no step is ready and no other worker holds one. A claim not renewed within its lease (a dead worker) is taken over and its step runs again from the start. A plan that never ran starts from this clone's branch, which must be on the remote.

A step runs only when you approved it on this machine as it is now (\`git pare pull\`, \`git pare plan approve --plan <id>\`), or when you delegate the whole plan with --trust-plan <id>: its steps and their checks' commands are printed first, and only that content is covered (a step changed later is skipped). Steps neither approved nor delegated are skipped with a note. Integrate the result on any clone with \`git pare pull\` and \`git pare finish --plan <id>\`.

Exit codes: 0 done (nothing left to take); 1 a step this worker ran failed its check; 2 usage (no such plan, bad flags, --trust-plan for another plan or content); 3 repository or remote state (remote unreachable, plan invalid, the plan's base is not on the remote); 4 model or provider error; 130 interrupted (claims released).`
  static examples = ['<%= config.bin %> work', '<%= config.bin %> work --plan 20260101-120000-abcd --jobs 2', '<%= config.bin %> work --trust-plan 20260101-120000-abcd', '<%= config.bin %> work --remote upstream --lease 2m']
  static flags = {
    ...modelFlags,
    remote: Flags.string({description: 'the remote that coordinates the workers', default: 'origin'}),
    plan: Flags.string({description: 'the plan to work on (default: the delegated one, the active one, or the only one on the remote)', helpValue: '<id>'}),
    jobs: Flags.integer({char: 'j', description: 'steps to run at once on this machine', default: 1, min: 1, max: 16}),
    'trust-plan': Flags.string({description: 'run the steps of this plan (as shown now) without approving each; <id> or <id>@<hash>', helpValue: '<id>'}),
    lease: Flags.string({description: 'how long a claim holds without renewal (a dead worker\'s step is taken over after it)', default: '10m'}),
    'no-hooks': Flags.boolean({description: 'do not run hooks'}),
  }

  async run(): Promise<WorkResult> {
    const {flags} = await this.parse(Work)
    const [{parseDuration, parseTrustPlan, pickWorkPlan}, {ApprovalStore}] = await Promise.all([import('../core/work/pick-plan.js'), import('../core/trust/approvals.js')])
    const leaseMs = parseDuration(flags.lease)
    const trust = flags['trust-plan'] ? parseTrustPlan(flags['trust-plan']) : undefined
    const repo = await this.repo()
    const s = await openAgentSession(repo, flags, {onWarning: (m) => this.note(m)})
    try {
      const id = await pickWorkPlan(s.store, flags.remote, flags.plan, trust?.id)
      let approvals = ApprovalStore.forUser(process.env)
      if (trust) approvals = await this.delegate(s.store, flags.remote, id, trust.hash, approvals)
      const [{work}, {openProject}, {appendTelemetry, telemetryFile}] = await Promise.all([import('../core/work/worker.js'), import('../core/agent/project.js'), import('../core/telemetry/file.js')])
      const project = await openProject({store: s.store, config: s.config, counter: s.runtime.counter, noHooks: flags['no-hooks'], signal: s.signal, onWarning: (m) => this.note(m)})
      const file = telemetryFile(s.store.paths)
      const telemetry = s.config.settings.telemetry !== false
      const res = await work({store: s.store, runtime: s.runtime, project, approvals, remote: flags.remote, plan: id, jobs: flags.jobs, leaseMs, signal: s.signal, onEvent: this.jsonEnabled() ? undefined : (e) => this.progress(e, flags.verbose), onRecord: (r) => void (telemetry && appendTelemetry(file, r).catch(() => undefined))})
      for (const k of res.skipped) this.warnings.push(k.reason)
      if (!this.jsonEnabled()) {
        for (const o of res.steps) this.log(`${o.discarded ? '–' : o.ok ? '✓' : '✗'} step ${o.n}: ${one(o.description)} · ${o.discarded ? `discarded: ${one(o.discarded)}` : `verify ${one(o.verify)}`}${o.commit && !o.discarded ? ` · ${o.branch ?? ''} ${o.commit.slice(0, 7)}` : ''}`)
        const done = res.states.filter((x) => x.status === 'done').length
        this.log(`plan ${res.plan}: ${done}/${res.states.length} steps done on ${res.remote} (${res.plan_status}); ${res.steps.length ? `this worker ran ${res.steps.length}` : 'this worker ran none'}`)
        if (res.plan_status === 'done') this.log(`integrate it: \`git pare pull ${res.remote}\`, then \`git pare finish --plan ${res.plan}\``)
      }
      if (res.steps.some((o) => !o.ok && !o.discarded)) process.exitCode = ExitCode.failed
      return res
    } finally {
      await s.close()
    }
  }

  /** Show what the delegated plan runs, bind the delegation to that content, and ask on a terminal. */
  private async delegate(store: import('../core/store/store.js').Store, remote: string, id: string, pinned: string | undefined, approvals: import('../core/trust/approvals.js').ApprovalStore) {
    const [{fetchPlanState}, {checkCommand, delegationHash, DelegatedApprovals, openSteps}] = await Promise.all([import('../core/work/remote.js'), import('../core/work/delegation.js')])
    const state = await fetchPlanState(store, remote, id)
    if (!state.plan || 'problem' in state.plan) throw new UsageError(`${remote} has no usable plan "${id}" to delegate`, 'check the id with `git ls-remote <remote> refs/parecode/plans/*`', 'no_plan')
    const {plan} = state.plan
    const steps = openSteps(plan)
    const hash = delegationHash(plan, steps)
    if (pinned && pinned !== hash) throw new UsageError(`plan ${id} on ${remote} changed since it was shown (content ${pinned}, now ${hash}); nothing was run`, `read it again with \`git pare work --trust-plan ${id}\` and pin the new hash`, 'trust_changed')
    const lines = [`delegating plan ${id} (content ${hash}) from ${remote}: these steps run here without your approval of each`, `task: ${one(plan.task)}`]
    for (const n of steps) {
      const st = plan.steps[n - 1]!
      const cmd = checkCommand(st.verify)
      lines.push(`  step ${n}: ${one(st.description)}${st.files.length ? ` [${st.files.map(one).join(', ')}]` : ''}`, `    check: ${cmd ? `runs \`${one(cmd)}\`` : one(st.verify.type)}`)
    }
    lines.push(`only this content is delegated: a step that changes later is skipped (pin it: --trust-plan ${id}@${hash})`)
    process.stderr.write(`${lines.map((l) => one(l)).join('\n')}\n`)
    if (!this.jsonEnabled() && process.stdin.isTTY && process.stderr.isTTY) {
      const {confirm} = await import('../cli/confirm.js')
      if (!(await confirm('run these steps on this machine?'))) throw new UsageError('not delegated; nothing was run', `approve steps one by one with \`git pare plan approve --plan ${id}\``, 'not_approved')
    }
    return DelegatedApprovals.for(approvals, store.paths.commonDir, plan, steps)
  }

  private progress(e: WorkEvent, verbose?: boolean): void {
    const w = (l: string) => process.stderr.write(`${one(l)}\n`)
    if (e.type === 'claimed') w(`claimed step ${e.n}: ${e.description}${e.took_over ? ` (taken over from ${e.took_over.by} on ${e.took_over.host}, whose lease ran out)` : ''}`)
    else if (e.type === 'recorded') w(`step ${e.n} ${e.ok ? 'done' : 'failed'}, recorded on the remote${e.commit ? ` (${e.commit.slice(0, 7)})` : ''}`)
    else if (e.type === 'discarded') w(`step ${e.n}: result discarded: ${e.reason}`)
    else if (e.type === 'skipped') w(`step ${e.n}: ${e.reason}`)
    else if (e.type === 'note') w(`note: ${e.message}`)
    else if (e.type === 'waiting') w(`waiting for ${e.steps.map((x) => `step ${x.n} (${x.by} on ${x.host}, until ${x.until})`).join(', ')}`)
    else if (e.type === 'step') {
      const ev = e.event
      if (ev.type === 'step_start') w(`[${e.n}] running${ev.attempt > 1 ? ` (retry ${ev.attempt - 1})` : ''} [${ev.route}: ${ev.model}]`)
      else if (ev.type === 'agent' && ev.event.type === 'tool') w(`[${e.n}]   ${ev.event.ok ? '·' : '✗'} ${ev.event.name}: ${ev.event.summary}`)
      else if (ev.type === 'agent' && verbose && ev.event.type === 'request') w(`[${e.n}]   → request ${ev.event.n}: ${ev.event.tokens} tokens`)
      else if (ev.type === 'verify') w(`[${e.n}]   ${ev.result.ok ? '✓' : '✗'} verify: ${ev.result.summary}`)
      else if (ev.type === 'note') w(`[${e.n}] note: ${ev.message}`)
    }
  }
}
