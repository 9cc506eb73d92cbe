// Build: tsc to dist/, copy prompt files, regenerate oclif.manifest.json and man/git-pare.1.
import {execFileSync} from 'node:child_process'
import {cpSync, existsSync, readdirSync, rmSync, statSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// OCLIF_SKIP_NEW_VERSION_CHECK: the oclif dev tool would otherwise ask the npm registry for its own updates on every build.
const run = (cmd, args) => execFileSync(cmd, args, {cwd: root, stdio: 'inherit', env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}})

rmSync(path.join(root, 'dist'), {recursive: true, force: true})
try {
  run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'])
} catch (err) {
  // PARE_BUILD_LENIENT=1 keeps going past type errors (tsc still emits) so parallel work in progress does not block others.
  if (!process.env.PARE_BUILD_LENIENT) throw err
}

// Prompts and other non-code assets live beside the code that uses them.
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name)
    if (statSync(p).isDirectory()) copyAssets(p)
    else if (/\.(md|txt|wasm|json)$/.test(name)) {
      const dest = path.join(root, 'dist', path.relative(path.join(root, 'src'), p))
      mkdirSync(path.dirname(dest), {recursive: true})
      cpSync(p, dest)
    }
  }
}
copyAssets(path.join(root, 'src'))

// A stale manifest makes new commands "not found": always regenerate it.
rmSync(path.join(root, 'oclif.manifest.json'), {force: true})
run(process.execPath, [path.join(root, 'node_modules/oclif/bin/run.js'), 'manifest'])
if (existsSync(path.join(root, 'scripts/man.mjs'))) run(process.execPath, [path.join(root, 'scripts/man.mjs')])
