import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {AnswerWriter, loadMarkdown} from '../../../src/cli/chat/render.js'

const collect = () => {
  const s = new PassThrough()
  let text = ''
  s.on('data', (d) => (text += d))
  return {s, text: () => text}
}

describe('the chat answer on a terminal', () => {
  it('renders markdown, and model text cannot emit an escape sequence of its own', async () => {
    const md = await loadMarkdown()
    const out = md('# Title\n\nSome **bold** \x1b]0;pwned\x07 and \x1b[2J.\n\n- **item**\n')
    expect(out).toContain('Title')
    expect(out).toContain('bold')
    expect(out).not.toContain('**item**')
    expect(out).toContain('\\e]0;pwned\\x07')
    expect(out).toContain('\\e[2J')
    expect(out).not.toContain('\x07')
    expect(out).not.toMatch(/\x1b\]/)
  })

  it('streams block by block, and plain text as it comes off a terminal', async () => {
    const a = collect()
    const w = new AnswerWriter(a.s, loadMarkdown())
    w.push('First **para')
    w.push('graph**.\n\nSecond')
    await new Promise((r) => setTimeout(r, 50))
    expect(a.text()).toContain('First')
    expect(a.text()).not.toContain('Second')
    await w.flush()
    expect(a.text()).toContain('Second')
    expect(a.text().endsWith('\n')).toBe(true)

    // the whole lines of a paragraph show before it ends, with their inline markup; then the rest, once
    const c = collect()
    const q = new AnswerWriter(c.s, loadMarkdown())
    q.push('Line one **b**\nLine tw')
    await new Promise((r) => setTimeout(r, 50))
    expect(c.text()).toBe('Line one b\n')
    q.push('o.\n\n- item\n')
    await q.flush()
    expect(c.text().match(/Line one/g)).toHaveLength(1)
    expect(c.text()).toMatch(/^Line one b\nLine two\.\n\n\s*\* item\n+$/)

    const b = collect()
    const p = new AnswerWriter(b.s, undefined)
    p.push('raw **md** \x1b[31m')
    expect(b.text()).toBe('raw **md** \\e[31m')
    await p.flush()
    expect(b.text()).toBe('raw **md** \\e[31m\n')
    expect(p.any).toBe(true)
  })
})
