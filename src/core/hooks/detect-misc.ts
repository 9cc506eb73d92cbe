import type {ProjectFiles} from './project-files.js'
import type {ProjectFacts} from './project-facts.js'

/** Rust: Cargo.toml, rustfmt settings; cargo check/test/clippy/fmt. */
export function detectRust(f: ProjectFiles, facts: ProjectFacts): void {
  const cargo = f.toml('Cargo.toml')
  if (!cargo) return
  facts.sources.push('Cargo.toml')
  const pkg = cargo.package ?? {}
  facts.name ??= typeof pkg.name === 'string' ? pkg.name : undefined
  facts.description ??= typeof pkg.description === 'string' ? pkg.description : undefined
  facts.runtime ??= `Rust${typeof pkg.edition === 'string' ? ` (edition ${pkg.edition})` : ''}, cargo${cargo.workspace ? ' workspace' : ''}`
  facts.typecheck.push({command: 'cargo check -q', tool: 'cargo'})
  facts.test.push({command: 'cargo test', tool: 'cargo test'})
  facts.lint.push({command: 'cargo clippy', tool: 'clippy'})
  facts.format.push({command: 'cargo fmt', tool: 'rustfmt'})
  const fmtFile = f.first('rustfmt.toml', '.rustfmt.toml')
  const fmt = fmtFile ? f.toml(fmtFile)?.[''] : undefined
  if (fmt) {
    const rules = Object.entries(fmt).filter(([, v]) => typeof v !== 'object').slice(0, 6).map(([k, v]) => `${k} = ${String(v)}`)
    if (rules.length) facts.style.push(`rustfmt: ${rules.join(', ')}`)
  }
  facts.deps.push(...Object.keys(cargo.dependencies ?? cargo['workspace.dependencies'] ?? {}).slice(0, 10))
}

/** Go: go.mod; go build/test/vet, golangci-lint when configured. */
export function detectGo(f: ProjectFiles, facts: ProjectFacts): void {
  const mod = f.text('go.mod')
  if (mod === undefined) return
  facts.sources.push('go.mod')
  const module = /^module\s+(\S+)/m.exec(mod)?.[1]
  const version = /^go\s+(\S+)/m.exec(mod)?.[1]
  facts.name ??= module?.split('/').pop()
  facts.runtime ??= `Go${version ? ` ${version}` : ''}, module ${module ?? '?'}`
  facts.typecheck.push({command: 'go build ./...', tool: 'go'})
  facts.test.push({command: 'go test ./...', tool: 'go test'})
  const golangci = f.first('.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json')
  facts.lint.push(golangci ? {command: 'golangci-lint run', tool: 'golangci-lint'} : {command: 'go vet ./...', tool: 'go vet'})
  facts.format.push({command: 'gofmt -w <files>', tool: 'gofmt'})
  const requires = [...mod.matchAll(/^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]{2,}\/\S+)\s+v\S+(?!.*\/\/ indirect)/gm)].map((m) => m[1]!)
  facts.deps.push(...requires.slice(0, 10))
}

/** Java / Kotlin with Maven or Gradle. */
export function detectJvm(f: ProjectFiles, facts: ProjectFacts): void {
  if (f.exists('pom.xml')) {
    facts.sources.push('pom.xml')
    facts.runtime ??= 'JVM, Maven'
    facts.test.push({command: f.exists('mvnw') ? './mvnw test' : 'mvn test', tool: 'maven'})
    facts.typecheck.push({command: f.exists('mvnw') ? './mvnw -q compile' : 'mvn -q compile', tool: 'maven'})
  } else {
    const gradle = f.first('build.gradle.kts', 'build.gradle')
    if (!gradle) return
    facts.sources.push(gradle)
    const g = f.exists('gradlew') ? './gradlew' : 'gradle'
    facts.runtime ??= 'JVM, Gradle'
    facts.test.push({command: `${g} test`, tool: 'gradle'})
    facts.typecheck.push({command: `${g} -q compileJava`, tool: 'gradle'})
  }
}

/** Makefile targets as a last resort for test and lint. */
export function detectMake(f: ProjectFiles, facts: ProjectFacts): void {
  const mk = f.text('Makefile') ?? f.text('makefile')
  if (mk === undefined) return
  if (!facts.test.length && /^test:/m.test(mk)) facts.test.push({command: 'make test', tool: 'make'})
  if (!facts.lint.length && /^lint:/m.test(mk)) facts.lint.push({command: 'make lint', tool: 'make'})
}

/** .editorconfig: the rules of its `[*]` section. */
export function detectEditorconfig(f: ProjectFiles, facts: ProjectFacts): void {
  const text = f.text('.editorconfig')
  if (text === undefined) return
  facts.sources.push('.editorconfig')
  let section = ''
  const rules: Record<string, string> = {}
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*/, '').trim()
    const sec = /^\[(.*)\]$/.exec(line)
    if (sec) section = sec[1]!
    else if (section === '*' && line.includes('=')) {
      const [k, v] = line.split('=').map((s) => s.trim().toLowerCase())
      if (k && v) rules[k] = v
    }
  }
  const out: string[] = []
  if (rules.indent_style === 'tab') out.push('tabs')
  else if (rules.indent_size) out.push(`${rules.indent_size}-space indent`)
  else if (rules.indent_style) out.push(`${rules.indent_style} indent`)
  if (rules.end_of_line) out.push(`${rules.end_of_line.toUpperCase()} line endings`)
  if (rules.max_line_length && rules.max_line_length !== 'off') out.push(`max line length ${rules.max_line_length}`)
  if (rules.insert_final_newline === 'true') out.push('final newline')
  if (out.length) facts.style.push(`EditorConfig: ${out.join(', ')}`)
}

/** Ruby (Gemfile), PHP (composer.json) and .NET (*.sln, *.csproj): the usual test and lint entry points. */
export function detectOthers(f: ProjectFiles, facts: ProjectFacts): void {
  const gemfile = f.text('Gemfile')
  if (gemfile !== undefined) {
    facts.sources.push('Gemfile')
    facts.runtime ??= 'Ruby, bundler'
    const rspec = /['"]rspec(-rails)?['"]/.test(gemfile) || f.exists('.rspec')
    facts.test.push(rspec ? {command: 'bundle exec rspec', tool: 'rspec'} : {command: 'bundle exec rake test', tool: 'minitest'})
    if (f.exists('.rubocop.yml') || /['"]rubocop['"]/.test(gemfile)) facts.lint.push({command: 'bundle exec rubocop', tool: 'rubocop'})
  }
  const composer = f.json('composer.json')
  if (composer) {
    facts.sources.push('composer.json')
    facts.runtime ??= 'PHP, composer'
    facts.name ??= typeof composer.name === 'string' ? composer.name : undefined
    const scripts = (composer.scripts ?? {}) as Record<string, unknown>
    if (scripts.test) facts.test.push({command: 'composer test', tool: f.first('phpunit.xml', 'phpunit.xml.dist') ? 'phpunit' : undefined})
    else if (f.first('phpunit.xml', 'phpunit.xml.dist')) facts.test.push({command: 'vendor/bin/phpunit', tool: 'phpunit'})
    if (f.first('phpstan.neon', 'phpstan.neon.dist')) facts.lint.push({command: 'vendor/bin/phpstan analyse', tool: 'phpstan'})
    else if (scripts.lint) facts.lint.push({command: 'composer lint'})
  }
  const dotnet = f.paths.find((p) => /^[^/]+\.sln$/.test(p)) ?? f.paths.find((p) => /\.(cs|fs)proj$/.test(p) && p.split('/').length <= 2)
  if (dotnet) {
    facts.sources.push(dotnet)
    facts.runtime ??= '.NET'
    facts.typecheck.push({command: 'dotnet build -v q', tool: 'dotnet'})
    facts.test.push({command: 'dotnet test', tool: 'dotnet test'})
    facts.format.push({command: 'dotnet format', tool: 'dotnet format'})
  }
}
