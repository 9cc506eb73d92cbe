/** A command the project runs, with the tool behind it when known. */
export interface ProjectCommand {
  command: string
  tool?: string
}

/** What `git pare init` and hook detection learn about a project, without a model. */
export interface ProjectFacts {
  name?: string
  description?: string
  /** Most files first. */
  languages: string[]
  runtime?: string
  /** npm, pnpm, yarn or bun, for JavaScript projects. */
  packageManager?: string
  /** Fast whole-project type check (for on_edit). */
  typecheck: ProjectCommand[]
  test: ProjectCommand[]
  lint: ProjectCommand[]
  format: ProjectCommand[]
  /** Where tests live: `test/`, `*.test.ts`. */
  testLayout: string[]
  /** Style rules read from formatter, linter and editor configs. */
  style: string[]
  /** Key runtime dependencies. */
  deps: string[]
  /** Agent instruction files present (AGENTS.md, CLAUDE.md). */
  agentDocs: string[]
  /** Files the facts came from. */
  sources: string[]
}

export function emptyFacts(): ProjectFacts {
  return {languages: [], typecheck: [], test: [], lint: [], format: [], testLayout: [], style: [], deps: [], agentDocs: [], sources: []}
}
