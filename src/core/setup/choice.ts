import {isChatModel, MIN_CONTEXT, type Discovery} from './discover.js'

/** One thing the user can pick: the profile it becomes. */
export interface SetupChoice {
  /** Profile name to write (`ollama`, `openai`, …). */
  profile: string
  /** Where the model runs, as shown (`Ollama`, `OpenAI`). */
  where: string
  baseUrl: string
  model: string
  /** The environment variable holding the key (providers); never the key. */
  keyEnv?: string
  tools?: boolean
  contextWindow?: number
  local: boolean
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'local'

/** Every choice, best first: local models that take tools, other local models, then providers (embedding models left out). */
export function setupChoices(d: Discovery): SetupChoice[] {
  const local: SetupChoice[] = d.servers.flatMap((s) =>
    s.models.filter(isChatModel).map((m) => ({
      profile: slug(s.name),
      where: s.name,
      baseUrl: s.baseUrl,
      model: m.id,
      ...(m.tools === undefined ? {} : {tools: m.tools}),
      ...(m.contextWindow ? {contextWindow: m.contextWindow} : {}),
      local: true,
    })),
  )
  // Stable sort: tool-capable and roomy first, models the server says cannot take tools last.
  const rank = (c: SetupChoice) => (c.tools === false ? 2 : 0) + (c.contextWindow && c.contextWindow < MIN_CONTEXT ? 1 : 0)
  local.sort((a, b) => rank(a) - rank(b))
  const hosted: SetupChoice[] = d.providers.map((p) => ({profile: p.id, where: p.name, baseUrl: p.baseUrl, model: p.model, keyEnv: p.keyEnv, local: false}))
  return [...local, ...hosted]
}

/** The one-line label of a choice in the picker. */
export function choiceLabel(c: SetupChoice): string {
  const notes: string[] = []
  if (c.keyEnv) notes.push(`key in $${c.keyEnv}`)
  if (c.tools === true) notes.push('tools')
  if (c.tools === false) notes.push('no tool support')
  if (c.contextWindow) notes.push(`${Math.round(c.contextWindow / 1024)}k context${c.contextWindow < MIN_CONTEXT ? ' (too small)' : ''}`)
  return `${c.model}  ·  ${c.where}${notes.length ? `  ·  ${notes.join(', ')}` : ''}`
}
