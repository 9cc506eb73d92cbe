import {describe, expect, it} from 'vitest'
import {loadTokenCounter} from '../../../src/core/context/tokenizer.js'
import {agentProgressLine, jsonProgress, parseProgressLine, stepProgressLine} from '../../../src/core/mcp/server/progress.js'
import {toToolResult} from '../../../src/core/mcp/server/result.js'
import {statusFromLog} from '../../../src/core/mcp/server/status.js'
import {leanSchema, TOOLS} from '../../../src/core/mcp/server/tools.js'

const tool = (name: string) => TOOLS.find((t) => t.name === name)!
const argv = (name: string, args: Record<string, unknown>) => {
  const t = tool(name)
  return t.argv(t.input.parse(args) as Record<string, unknown>)
}

describe('MCP server tools', () => {
  it('offers the issue\'s ten tools, read-only ones marked', () => {
    expect(TOOLS.map((t) => t.name).sort()).toEqual(['diff', 'log', 'plan', 'plan_show', 'redo', 'run', 'session_list', 'status', 'step', 'undo'])
    expect(TOOLS.filter((t) => t.readOnly).map((t) => t.name).sort()).toEqual(['diff', 'log', 'plan_show', 'session_list', 'status'])
  })

  it('listed schemas carry no $schema, title, additionalProperties, patterns or bounds', () => {
    for (const t of TOOLS) {
      const text = JSON.stringify(leanSchema(t.input))
      expect(text, t.name).not.toMatch(/"\$schema"|"title"|"additionalProperties"|"pattern"|"minLength"|"maxLength"|"minimum"|"maximum"/)
      expect(leanSchema(t.input).type).toBe('object')
    }
    expect(leanSchema(tool('run').input)).toEqual({
      type: 'object',
      properties: {task: {type: 'string'}, continue: {type: 'boolean', description: 'continue latest session'}, session: {type: 'string', description: 'continue this session'}, quick: {type: 'boolean', description: 'one call, small fix'}},
      required: ['task'],
    })
  })

  it('the whole listing costs the calling model at most 500 tokens (o200k; 467 when written)', async () => {
    const listing = TOOLS.map((t) => ({name: t.name, description: t.description, inputSchema: leanSchema(t.input), ...(t.readOnly ? {annotations: {readOnlyHint: true}} : {})}))
    const counter = await loadTokenCounter('o200k_base')
    expect(counter.count(JSON.stringify(listing))).toBeLessThanOrEqual(500)
  })

  it('text that looks like a flag stays an argument: after `--`, or refused by the pattern', () => {
    expect(argv('run', {task: '--approval=auto'})).toEqual(['run', '--', '--approval=auto'])
    expect(argv('plan', {task: '-y do it'})).toEqual(['plan', '--', '-y do it'])
    expect(argv('run', {task: 'x', session: 'abc-1', continue: true})).toEqual(['run', '--continue', '--session=abc-1', '--', 'x'])
    expect(argv('diff', {checkpoint: '2', stat: true})).toEqual(['diff', '--stat', '--', '2'])
    expect(argv('step', {n: 2, plan: '20260101-120000-abcd'})).toEqual(['step', '--plan=20260101-120000-abcd', '--', '2'])
    expect(argv('log', {})).toEqual(['log', '--number=20'])
    for (const [name, args] of [
      ['diff', {checkpoint: '--output=/tmp/x'}],
      ['run', {task: 'x', session: '-x'}],
      ['plan_show', {plan: '--plan'}],
      ['run', {task: '   '}],
      ['run', {task: 'x', approval: 'auto'}],
      ['undo', {force: true}],
      ['plan', {task: 'x', yes: true}],
      ['step', {n: 1.5}],
    ] as const) expect(tool(name).input.safeParse(args).success, `${name} ${JSON.stringify(args)}`).toBe(false)
  })
})

describe('MCP server results', () => {
  it('status digests log: the active plan and its next step, the newest checkpoint, the newest session', () => {
    const log = {
      status: 0,
      warnings: ['w'],
      result: {
        entries: [
          {kind: 'session', id: 's2', time: 't3', title: 'later', commit: 'c', turns: 2},
          {kind: 'checkpoint', id: '2', time: 't2', title: 'run: b', commit: 'c', outcome: 'interrupted: by the user'},
          {kind: 'plan', id: 'p1', time: 't1', title: 'rename', commit: 'c', status: 'in_progress', active: true, steps: [{n: 1, description: 'a', status: 'done'}, {n: 2, description: 'b', status: 'approved'}]},
          {kind: 'checkpoint', id: '1', time: 't0', title: 'run: a', commit: 'c'},
        ],
      },
    }
    expect(statusFromLog(log)).toEqual({
      status: 0,
      warnings: ['w'],
      result: {
        plan: {id: 'p1', title: 'rename', status: 'in_progress', steps_done: 1, steps: 2, next_step: {n: 2, description: 'b', status: 'approved'}},
        checkpoint: {id: '2', title: 'run: b', time: 't2', outcome: 'interrupted: by the user'},
        checkpoints: 2,
        session: {id: 's2', title: 'later', turns: 2, time: 't3'},
      },
    })
    const error = {status: 3, error: {code: 'not_a_repo', message: 'no', hint: null}, warnings: []}
    expect(statusFromLog(error)).toBe(error)
  })

  it('an error envelope is a tool error with the CLI\'s line and hint; a result is structured and compact text', () => {
    const err = toToolResult('undo', {code: 1, interrupted: false, stderr: '', envelope: {status: 1, error: {code: 'nothing_to_undo', message: 'nothing to undo', hint: 'run first'}, warnings: []}})
    expect(err.isError).toBe(true)
    expect(err.content).toEqual([{type: 'text', text: 'error: nothing to undo\nhint: run first'}])
    const ok = toToolResult('log', {code: 0, interrupted: false, stderr: '', envelope: {status: 0, result: {entries: []}, warnings: []}})
    expect(ok.isError).toBeUndefined()
    expect(ok.structuredContent).toEqual({status: 0, result: {entries: []}, warnings: []})
    expect(ok.content).toEqual([{type: 'text', text: '{"status":0,"result":{"entries":[]},"warnings":[]}'}])
    const crash = toToolResult('log', {code: 1, interrupted: false, stderr: 'boom\nTypeError: x\n'})
    expect(crash).toEqual({isError: true, content: [{type: 'text', text: 'error: git pare log exited 1 without a result: TypeError: x'}]})
  })

  it('progress lines round-trip, one line each whatever the model wrote, and only when asked for', () => {
    const l = agentProgressLine({type: 'tool', name: 'edit_file', summary: 'a.ts\n\x1b[31mred', ok: true})!
    expect(l.endsWith('\n')).toBe(true)
    expect(l.trimEnd().includes('\n')).toBe(false)
    expect(parseProgressLine(l.trimEnd())).toMatch(/^· edit_file: a\.ts\\n/)
    expect(parseProgressLine(stepProgressLine({type: 'step_end', n: 2, ok: false})!.trimEnd())).toBe('step 2 failed')
    expect(agentProgressLine({type: 'retry_context', message: 'x'})).toBeUndefined()
    expect(parseProgressLine('warning: something')).toBeUndefined()
    expect(parseProgressLine('pare-progress {broken')).toBeUndefined()
    expect(jsonProgress({}, agentProgressLine, () => undefined)).toBeUndefined()
    const got: string[] = []
    jsonProgress({PARE_MCP_PROGRESS: '1'}, agentProgressLine, (s) => got.push(s))!({type: 'request', n: 1, tokens: 10})
    expect(got.map((s) => parseProgressLine(s.trimEnd()))).toEqual(['model request 1 (10 tokens)'])
  })
})
