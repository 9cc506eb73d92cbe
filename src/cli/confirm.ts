/** Ask a yes/no question on the terminal; false without one (and on anything but y/yes). */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false
  const {createInterface} = await import('node:readline/promises')
  const rl = createInterface({input: process.stdin, output: process.stderr})
  // readline swallows Ctrl+C (it only pauses the input) unless someone listens: give it back to the process.
  rl.on('SIGINT', () => {
    rl.close()
    process.stderr.write('\n')
    process.kill(process.pid, 'SIGINT')
  })
  try {
    const answer = await rl.question(`${question} [y/N] `)
    return /^\s*y(es)?\s*$/i.test(answer)
  } catch {
    return false
  } finally {
    rl.close()
  }
}
