// Build: tsc to dist/, copy prompt files, regenerate oclif.manifest.json and man/man1/git-pare.1.
import {execFileSync} from 'node:child_process'
import {cpSync, existsSync, readdirSync, renameSync, rmSync, statSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// OCLIF_SKIP_NEW_VERSION_CHECK: the oclif dev tool would otherwise ask the npm registry for its own updates on every build.
const run = (cmd, args) => execFileSync(cmd, args, {cwd: root, stdio: 'inherit', env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true'}})

// Compile into a staging folder and swap it in at the end: a build never leaves dist/ missing or half-written
// under a CLI that is running (tests of parallel work, a second build).
const dist = path.join(root, 'dist')
const staging = path.join(root, 'node_modules/.cache/git-pare-build', `dist-${process.pid}`)
rmSync(staging, {recursive: true, force: true})
try {
  run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', staging])
} catch (err) {
  // PARE_BUILD_LENIENT=1 keeps going past type errors (tsc still emits) so parallel work in progress does not block others.
  if (!process.env.PARE_BUILD_LENIENT) {
    rmSync(staging, {recursive: true, force: true})
    throw err
  }
}

// Prompts and other non-code assets live beside the code that uses them.
function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name)
    if (statSync(p).isDirectory()) copyAssets(p)
    else if (/\.(md|txt|wasm|json)$/.test(name)) {
      const dest = path.join(staging, path.relative(path.join(root, 'src'), p))
      mkdirSync(path.dirname(dest), {recursive: true})
      cpSync(p, dest)
    }
  }
}
copyAssets(path.join(root, 'src'))

function swapIn() {
  const old = `${staging}-old`
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(dist, old)
    } catch (err) {
      if (err.code !== 'ENOENT') throw err
    }
    try {
      renameSync(staging, dist)
      break
    } catch (err) {
      // Another build swapped its own dist in between our two renames: move it aside and try again.
      if (!['ENOTEMPTY', 'EEXIST'].includes(err.code) || attempt > 20) throw err
      rmSync(old, {recursive: true, force: true})
    }
  }
  rmSync(old, {recursive: true, force: true})
}
swapIn()

// A stale manifest makes new commands "not found": always regenerate it.
rmSync(path.join(root, 'oclif.manifest.json'), {force: true})
run(process.execPath, [path.join(root, 'node_modules/oclif/bin/run.js'), 'manifest'])
if (existsSync(path.join(root, 'scripts/man.mjs'))) run(process.execPath, [path.join(root, 'scripts/man.mjs')])
