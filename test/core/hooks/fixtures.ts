/** Small but real-shaped projects for detection and init tests. */
export const tsVitest: Record<string, string> = {
  'README.md': '# Widget Service\n\n[![ci](https://x/badge.svg)](https://x)\n\nA small service that renders widgets\nfor the dashboard.\n\n## Install\n\nnpm install\n',
  'package.json': JSON.stringify({
    name: 'widget-service',
    type: 'module',
    engines: {node: '>=20'},
    scripts: {test: 'vitest run', lint: 'eslint src', build: 'tsc'},
    dependencies: {express: '4.0.0', zod: '3.0.0', '@types/express': '4.0.0'},
    devDependencies: {vitest: '1.0.0', eslint: '9.0.0', typescript: '5.0.0', prettier: '3.0.0'},
  }, null, 2),
  'package-lock.json': '{}',
  'tsconfig.json': '{\n  // comments are allowed here\n  "compilerOptions": {"strict": true, "module": "NodeNext",},\n}\n',
  '.prettierrc': JSON.stringify({semi: false, singleQuote: true, printWidth: 120}),
  'eslint.config.js': 'export default []\n',
  '.editorconfig': 'root = true\n\n[*]\nindent_style = space\nindent_size = 2\ninsert_final_newline = true\n',
  'src/index.ts': 'export function render() {}\n',
  'src/widget.ts': 'export class Widget {}\n',
  'test/widget.test.ts': "import {it} from 'vitest'\nit('works', () => {})\n",
  'test/render.test.ts': "import {it} from 'vitest'\nit('works', () => {})\n",
}

export const pyPytestRuff: Record<string, string> = {
  'README.md': '# tokenkit\n\nToken helpers for APIs.\n',
  'pyproject.toml': `[project]
name = "tokenkit"
description = "Token helpers"
requires-python = ">=3.10"
dependencies = [
  "requests>=2.0",  # http
  "pydantic[email]~=2.0",
]

[project.optional-dependencies]
dev = ["pytest>=7", "ruff"]

[tool.ruff]
line-length = 100
target-version = "py310"

[tool.ruff.lint]
select = ["E", "F", "I"]

[tool.pytest.ini_options]
testpaths = ["tests"]
`,
  'src/tokenkit/__init__.py': 'def validate_token(raw):\n    return raw\n',
  'tests/test_tokens.py': 'def test_ok():\n    assert True\n',
  'tests/conftest.py': '',
}

export const rustCrate: Record<string, string> = {
  'Cargo.toml': '[package]\nname = "fastparse"\nversion = "0.1.0"\nedition = "2021"\ndescription = "A fast parser"\n\n[dependencies]\nserde = { version = "1", features = ["derive"] }\nanyhow = "1"\n\n[dev-dependencies]\ninsta = "1"\n',
  'rustfmt.toml': 'max_width = 100\ntab_spaces = 4\n',
  'src/lib.rs': 'pub fn parse() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn it_works() {}\n}\n',
  'tests/integration.rs': '#[test]\nfn t() {}\n',
}

export const goModule: Record<string, string> = {
  'go.mod': 'module github.com/acme/tokensvc\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.0\n\tgolang.org/x/sync v0.1.0 // indirect\n)\n',
  'main.go': 'package main\n\nfunc main() {}\n',
  'auth/token.go': 'package auth\n\nfunc Validate() {}\n',
  'auth/token_test.go': 'package auth\n\nimport "testing"\n\nfunc TestValidate(t *testing.T) {}\n',
  '.golangci.yml': 'linters:\n  enable: [errcheck]\n',
}
