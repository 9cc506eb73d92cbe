import {TSC_HOOK} from './classify.js'
import type {ProjectFiles} from './project-files.js'
import type {ProjectFacts} from './project-facts.js'

const prettierFiles = ['.prettierrc', '.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml', '.prettierrc.json5', '.prettierrc.js', '.prettierrc.cjs', '.prettierrc.mjs', 'prettier.config.js', 'prettier.config.cjs', 'prettier.config.mjs']
const eslintFiles = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', '.eslintrc', '.eslintrc.js', '.eslintrc.cjs', '.eslintrc.json', '.eslintrc.yml', '.eslintrc.yaml']
const frameworks = ['vitest', 'jest', 'mocha', 'ava', 'tap', 'uvu']

/** JSON with comments and trailing commas (tsconfig.json, biome.json). */
export function parseJsonc(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined
  const clean = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str: string | undefined) => str ?? '').replace(/,(\s*[}\]])/g, '$1')
  try {
    const v = JSON.parse(clean) as unknown
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {})

/** Node / TypeScript: package manager, scripts, test framework, linters, formatters, TypeScript settings. */
export async function detectNode(f: ProjectFiles, facts: ProjectFacts): Promise<void> {
  const pkg = f.json('package.json')
  const tsconfig = f.exists('tsconfig.json')
  if (!pkg && !tsconfig) return
  if (pkg) facts.sources.push('package.json')
  const p = obj(pkg)
  const scripts = obj(p.scripts) as Record<string, string>
  const deps = {...obj(p.dependencies), ...obj(p.devDependencies)}
  // Only a known name: the field is repository text and ends up in commands and in the model's conventions.
  const pmName = typeof p.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)(@|$)/.exec(p.packageManager)?.[1] : undefined
  const pmField = pmName
  const pm = pmField ?? (f.first('bun.lockb', 'bun.lock') ? 'bun' : f.exists('pnpm-lock.yaml') ? 'pnpm' : f.exists('yarn.lock') ? 'yarn' : 'npm')
  const run = (s: string) => (pm === 'npm' ? `npm run ${s}` : `${pm} run ${s}`)
  facts.packageManager ??= pm
  facts.name ??= typeof p.name === 'string' ? p.name : undefined
  facts.description ??= typeof p.description === 'string' && p.description ? p.description : undefined
  const engines = obj(p.engines)
  facts.runtime ??= pm === 'bun' ? 'Bun' : `Node${typeof engines.node === 'string' ? ` ${engines.node}` : ''}, ${pm}`

  const framework = frameworks.find((x) => x in deps) ?? (/node --test|node:test/.test(scripts.test ?? '') ? 'node:test' : undefined)
  if (scripts.test && !/no test specified/.test(scripts.test)) facts.test.push({command: pm === 'npm' ? 'npm test' : `${pm} test`, tool: framework})
  else if (framework === 'vitest') facts.test.push({command: 'npx vitest run', tool: framework})
  else if (framework === 'jest') facts.test.push({command: 'npx jest', tool: framework})

  const eslint = f.first(...eslintFiles)
  const biome = f.first('biome.json', 'biome.jsonc')
  const lintTool = eslint || 'eslint' in deps ? 'eslint' : biome || '@biomejs/biome' in deps ? 'biome' : undefined
  if (scripts.lint) facts.lint.push({command: run('lint'), tool: lintTool ?? inferTool(scripts.lint)})
  else if (lintTool === 'eslint') facts.lint.push({command: 'npx eslint .', tool: 'eslint'})
  else if (lintTool === 'biome') facts.lint.push({command: 'npx biome check .', tool: 'biome'})
  if (eslint) facts.style.push(`ESLint rules in \`${eslint}\``)

  const prettier = f.first(...prettierFiles)
  const formatTool = prettier || p.prettier || 'prettier' in deps ? 'prettier' : biome ? 'biome' : undefined
  if (scripts.format) facts.format.push({command: run('format'), tool: formatTool ?? inferTool(scripts.format)})
  else if (formatTool === 'prettier') facts.format.push({command: 'npx prettier --write <files>', tool: 'prettier'})
  else if (formatTool === 'biome') facts.format.push({command: 'npx biome format --write <files>', tool: 'biome'})
  if (prettier || p.prettier) facts.style.push(...prettierStyle(prettier && /\.(json|prettierrc)$/.test(prettier) ? parseJsonc(f.text(prettier)) : prettier && /\.ya?ml$/.test(prettier) ? await yamlObject(f.text(prettier)) : obj(p.prettier)))
  if (biome) facts.style.push(...biomeStyle(parseJsonc(f.text(biome))))

  if (tsconfig) {
    facts.sources.push('tsconfig.json')
    // A fixed template: never a path or name the repository supplies (see classify.ts for when it still needs approval).
    const tsc = TSC_HOOK
    facts.typecheck.push({command: tsc, tool: 'tsc'})
    const co = obj(parseJsonc(f.text('tsconfig.json'))?.compilerOptions)
    if (co.strict === true) facts.style.push('TypeScript strict mode')
    if (typeof co.module === 'string' && /^node(16|next)$/i.test(co.module)) facts.style.push('ES modules with NodeNext resolution: relative imports end in `.js`')
    else if (p.type === 'module') facts.style.push('ES modules (`"type": "module"`)')
  } else if (p.type === 'module') facts.style.push('ES modules (`"type": "module"`)')

  facts.deps.push(...Object.keys(obj(p.dependencies)).filter((d) => !d.startsWith('@types/')).slice(0, 10))
}

function inferTool(script: string): string | undefined {
  return ['eslint', 'biome', 'prettier', 'tsc', 'xo', 'standard', 'oxlint'].find((t) => script.includes(t))
}

async function yamlObject(text: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (text === undefined) return undefined
  try {
    const {parse} = await import('yaml')
    return obj(parse(text))
  } catch {
    return undefined
  }
}

function prettierStyle(o: Record<string, unknown> | undefined): string[] {
  if (!o) return ['Prettier formatting']
  const out: string[] = []
  if (o.semi === false) out.push('no semicolons')
  if (o.singleQuote === true) out.push('single quotes')
  if (o.useTabs === true) out.push('tabs')
  else if (typeof o.tabWidth === 'number') out.push(`${o.tabWidth}-space indent`)
  if (typeof o.printWidth === 'number') out.push(`line width ${o.printWidth}`)
  if (typeof o.trailingComma === 'string') out.push(`trailing commas: ${o.trailingComma}`)
  if (o.bracketSpacing === false) out.push('no spaces inside braces (`{a}`)')
  return [out.length ? `Prettier: ${out.join(', ')}` : 'Prettier formatting']
}

function biomeStyle(o: Record<string, unknown> | undefined): string[] {
  const fmt = obj(o?.formatter)
  const js = obj(obj(o?.javascript).formatter)
  const out: string[] = []
  if (fmt.indentStyle === 'tab') out.push('tabs')
  else if (typeof fmt.indentWidth === 'number') out.push(`${fmt.indentWidth}-space indent`)
  if (typeof fmt.lineWidth === 'number') out.push(`line width ${fmt.lineWidth}`)
  if (js.quoteStyle === 'single') out.push('single quotes')
  if (js.semicolons === 'asNeeded') out.push('no semicolons')
  return [out.length ? `Biome: ${out.join(', ')}` : 'Biome formatting and lint']
}
