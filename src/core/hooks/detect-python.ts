import type {ProjectFiles} from './project-files.js'
import type {ProjectFacts} from './project-facts.js'
import type {TomlValue} from './toml-lite.js'

const reqName = (spec: string) => spec.trim().split(/[\s<>=!~;[(@]/)[0]!.toLowerCase()
const strings = (v: TomlValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const tableKeys = (v: TomlValue | undefined): string[] => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [])

function requirements(text: string | undefined): string[] {
  return (text ?? '').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l && !l.startsWith('-')).map(reqName)
}

/** Python: pyproject (PEP 621, Poetry), setup.py/cfg, requirements; pytest, ruff, black, flake8, mypy. */
export function detectPython(f: ProjectFiles, facts: ProjectFacts): void {
  const py = f.toml('pyproject.toml')
  const hasSetup = f.first('setup.py', 'setup.cfg')
  const reqFiles = f.paths.filter((p) => /^requirements[^/]*\.txt$|^requirements\/[^/]+\.txt$/.test(p))
  if (!py && !hasSetup && !reqFiles.length) return
  if (py) facts.sources.push('pyproject.toml')
  const project = py?.project ?? {}
  const poetry = py?.['tool.poetry'] ?? {}
  facts.name ??= typeof project.name === 'string' ? project.name : typeof poetry.name === 'string' ? poetry.name : undefined
  facts.description ??= typeof project.description === 'string' && project.description ? project.description : undefined
  const runtimeDeps = [...strings(project.dependencies).map(reqName), ...tableKeys(poetry.dependencies).filter((d) => d !== 'python'), ...requirements(f.text('requirements.txt'))]
  const devDeps = [
    ...Object.values(py?.['project.optional-dependencies'] ?? {}).flatMap((v) => strings(v).map(reqName)),
    ...Object.values(py?.['dependency-groups'] ?? {}).flatMap((v) => strings(v).map(reqName)),
    ...Object.entries(py ?? {}).filter(([k]) => /^tool\.poetry\.(group\.[^.]+\.)?dev-dependencies$|^tool\.poetry\.group\.[^.]+\.dependencies$/.test(k)).flatMap(([, t]) => Object.keys(t)),
    ...reqFiles.filter((r) => r !== 'requirements.txt').flatMap((r) => requirements(f.text(r))),
  ]
  const all = new Set([...runtimeDeps, ...devDeps])
  const requires = typeof project['requires-python'] === 'string' ? ` ${project['requires-python']}` : ''
  const runner = f.exists('uv.lock') ? 'uv run ' : f.exists('poetry.lock') ? 'poetry run ' : ''
  facts.runtime ??= `Python${requires}${runner ? `, ${runner.split(' ')[0]}` : ''}`

  const setupCfg = f.text('setup.cfg') ?? ''
  const toxIni = f.text('tox.ini') ?? ''
  const pytest = all.has('pytest') || Boolean(py?.['tool.pytest.ini_options']) || f.exists('pytest.ini') || f.paths.some((p) => /(^|\/)conftest\.py$/.test(p)) || /^\[(tool:)?pytest\]/m.test(setupCfg + toxIni)
  if (pytest) facts.test.push({command: `${runner}pytest`, tool: 'pytest'})
  else if (f.paths.some((p) => /(^|\/)test_[^/]+\.py$/.test(p))) facts.test.push({command: `${runner}python -m unittest`, tool: 'unittest'})

  const ruffFile = f.first('ruff.toml', '.ruff.toml')
  const ruffCfg = py?.['tool.ruff'] ?? (ruffFile ? f.toml(ruffFile)?.[''] : undefined)
  const ruff = Boolean(ruffCfg) || all.has('ruff')
  if (ruff) facts.lint.push({command: `${runner}ruff check .`, tool: 'ruff'})
  else if (all.has('flake8') || f.exists('.flake8') || /^\[flake8\]/m.test(setupCfg + toxIni)) facts.lint.push({command: `${runner}flake8`, tool: 'flake8'})
  if (all.has('mypy') || py?.['tool.mypy'] || f.exists('mypy.ini')) facts.typecheck.push({command: `${runner}mypy .`, tool: 'mypy'})

  const black = py?.['tool.black']
  if (black || all.has('black')) facts.format.push({command: `${runner}black <files>`, tool: 'black'})
  else if (py?.['tool.ruff.format'] || (ruff && !black)) facts.format.push({command: `${runner}ruff format <files>`, tool: 'ruff format'})
  const rules: string[] = []
  const lineLength = ruffCfg?.['line-length'] ?? black?.['line-length']
  if (typeof lineLength === 'number') rules.push(`line length ${lineLength}`)
  const target = ruffCfg?.['target-version'] ?? black?.['target-version']
  if (typeof target === 'string') rules.push(`target ${target}`)
  const select = strings(py?.['tool.ruff.lint']?.select ?? ruffCfg?.select)
  if (select.length) rules.push(`rules ${select.join(', ')}`)
  if (rules.length) facts.style.push(`${ruff ? 'Ruff' : 'Black'}: ${rules.join(', ')}`)
  if (py?.['tool.ruff.lint.isort'] || select.includes('I')) facts.style.push('imports sorted (isort rules)')
  facts.deps.push(...runtimeDeps.slice(0, 10))
}
