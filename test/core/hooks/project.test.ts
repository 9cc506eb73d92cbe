import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {detectHooks} from '../../../src/core/hooks/detect-hooks.js'
import {detectProject, testLayout} from '../../../src/core/hooks/project.js'
import {makeRepo, removeDir, tempDir} from '../../support/repo.js'
import {goModule, pyPytestRuff, rustCrate, tsVitest} from './fixtures.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach(removeDir))
const repo = (files: Record<string, string>) => {
  const root = makeRepo(files)
  dirs.push(root)
  return root
}
const noPath = {PATH: ''}

describe('detectProject', () => {
  it('TypeScript with vitest, eslint, prettier', async () => {
    const f = await detectProject(repo(tsVitest), noPath)
    expect(f.name).toBe('Widget Service')
    expect(f.description).toBe('A small service that renders widgets for the dashboard.')
    expect(f.languages[0]).toBe('TypeScript')
    expect(f.runtime).toBe('Node >=20, npm')
    expect(f.test).toEqual([{command: 'npm test', tool: 'vitest'}])
    expect(f.lint).toEqual([{command: 'npm run lint', tool: 'eslint'}])
    expect(f.typecheck).toEqual([{command: 'npx --no-install tsc --noEmit', tool: 'tsc'}])
    expect(f.testLayout).toEqual(['test/', '*.test.ts'])
    expect(f.deps).toEqual(['express', 'zod'])
    expect(f.style).toEqual(expect.arrayContaining(['Prettier: no semicolons, single quotes, line width 120', 'TypeScript strict mode', 'EditorConfig: 2-space indent, final newline']))
  })

  it('Python with pytest and ruff', async () => {
    const f = await detectProject(repo(pyPytestRuff), noPath)
    expect(f).toMatchObject({name: 'tokenkit', languages: ['Python'], runtime: 'Python >=3.10'})
    expect(f.test).toEqual([{command: 'pytest', tool: 'pytest'}])
    expect(f.lint).toEqual([{command: 'ruff check .', tool: 'ruff'}])
    expect(f.deps).toEqual(['requests', 'pydantic'])
    expect(f.testLayout).toEqual(['tests/', 'test_*.py'])
    expect(f.style).toContain('Ruff: line length 100, target py310, rules E, F, I')
  })

  it('Rust crate', async () => {
    const f = await detectProject(repo(rustCrate), noPath)
    expect(f).toMatchObject({name: 'fastparse', languages: ['Rust'], runtime: 'Rust (edition 2021), cargo'})
    expect(f.test[0]?.command).toBe('cargo test')
    expect(f.lint[0]?.command).toBe('cargo clippy')
    expect(f.deps).toEqual(['serde', 'anyhow'])
    expect(f.style).toEqual(['rustfmt: max_width = 100, tab_spaces = 4'])
  })

  it('Go module with golangci-lint', async () => {
    const f = await detectProject(repo(goModule), noPath)
    expect(f).toMatchObject({name: 'tokensvc', languages: ['Go'], runtime: 'Go 1.22, module github.com/acme/tokensvc'})
    expect(f.test[0]?.command).toBe('go test ./...')
    expect(f.lint[0]?.command).toBe('golangci-lint run')
    expect(f.deps).toEqual(['github.com/go-chi/chi/v5'])
    expect(f.testLayout).toEqual(['*_test.go'])
  })

  it('Ruby, PHP and .NET entry points', async () => {
    const rb = await detectProject(repo({'Gemfile': "source 'https://rubygems.org'\ngem 'rspec'\ngem 'rubocop'\n", 'lib/a.rb': 'class A\nend\n'}), noPath)
    expect(rb).toMatchObject({languages: ['Ruby'], test: [{command: 'bundle exec rspec'}], lint: [{command: 'bundle exec rubocop'}]})
    const php = await detectProject(repo({'composer.json': JSON.stringify({name: 'acme/app', scripts: {test: 'phpunit'}}), 'phpunit.xml': '<phpunit/>', 'phpstan.neon': '', 'src/A.php': '<?php\n'}), noPath)
    expect(php).toMatchObject({name: 'acme/app', languages: ['PHP'], test: [{command: 'composer test', tool: 'phpunit'}], lint: [{command: 'vendor/bin/phpstan analyse'}]})
    const cs = await detectProject(repo({'App.sln': '', 'src/App/App.csproj': '<Project/>', 'src/App/Program.cs': 'class P {}\n'}), noPath)
    expect(cs).toMatchObject({languages: ['C#'], runtime: '.NET', test: [{command: 'dotnet test'}]})
  })

  it('an empty repository gives empty facts, not an error', async () => {
    const f = await detectProject(repo({'notes.txt': 'hi\n'}), noPath)
    expect(f).toMatchObject({languages: [], test: [], lint: []})
  })

  it('testLayout finds __tests__ folders and spec files', () => {
    expect(testLayout(['src/a.ts', 'src/__tests__/a.spec.tsx', 'src/__tests__/b.spec.tsx', 'node_modules/x/test/y.test.js'])).toEqual(['src/__tests__/', '*.spec.tsx'])
  })
})

describe('detectHooks', () => {
  it('TypeScript: the project tsc on edit, the lint script when the task is done', async () => {
    const root = repo(tsVitest)
    expect((await detectHooks(root, {env: noPath})).commands).toMatchObject({on_edit: ['npx --no-install tsc --noEmit'], on_task_done: ['npm run -s lint']})
    // A fixed template: never a path from the repository, even with a node_modules/.bin/tsc present.
    mkdirSync(path.join(root, 'node_modules/.bin'), {recursive: true})
    writeFileSync(path.join(root, 'node_modules/.bin/tsc'), '#!/bin/sh\n')
    chmodSync(path.join(root, 'node_modules/.bin/tsc'), 0o755)
    expect((await detectHooks(root, {env: noPath})).commands.on_edit).toEqual(['npx --no-install tsc --noEmit'])
  })

  it('Rust and Go', async () => {
    expect((await detectHooks(repo(rustCrate), {env: noPath})).commands).toMatchObject({on_edit: ['cargo check -q'], on_task_done: ['cargo test -q 2>&1 | tail -5']})
    expect((await detectHooks(repo(goModule), {env: noPath})).commands.on_edit).toEqual(['go build ./...'])
  })

  it('Python: ruff only when it is installed', async () => {
    const root = repo(pyPytestRuff)
    expect((await detectHooks(root, {env: noPath})).commands.on_edit).toEqual([])
    const bin = tempDir()
    dirs.push(bin)
    writeFileSync(path.join(bin, 'ruff'), '#!/bin/sh\n')
    chmodSync(path.join(bin, 'ruff'), 0o755)
    const d = await detectHooks(root, {env: {PATH: bin}})
    expect(d.commands.on_edit).toEqual(['ruff check .'])
    expect(d.reasons).toEqual(['pyproject.toml + ruff -> on_edit: ruff check .'])
  })

  it('a JavaScript project without TypeScript checks edits with its lint script', async () => {
    const root = repo({'package.json': JSON.stringify({scripts: {lint: 'eslint .'}}), 'index.js': ''})
    expect((await detectHooks(root, {env: noPath})).commands.on_edit).toEqual(['npm run -s lint'])
  })
})
