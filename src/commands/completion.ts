import {Args} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {BaseCommand} from '../cli/base-command.js'

const FILES = {bash: 'git-pare.bash', zsh: '_git-pare', fish: 'git-pare.fish', powershell: 'git-pare.ps1'} as const

export default class Completion extends BaseCommand {
  static summary = 'Print the shell completion script for bash, zsh, fish or PowerShell'
  static description = `The script completes commands, flags, plan ids, checkpoints and session ids for \`git pare …\` (through git's own completion) and for \`git-pare …\`. Each script says at its top where to install it; README's "Completions" section has the lines to copy.`

  static examples = ['<%= config.bin %> completion bash >> ~/.bashrc', '<%= config.bin %> completion zsh > ~/.zsh/completions/_git-pare', '<%= config.bin %> completion fish > ~/.config/fish/completions/git-pare.fish']

  static args = {shell: Args.string({description: 'the shell', options: Object.keys(FILES), required: true})}

  async run(): Promise<{shell: string; script: string}> {
    const {args} = await this.parse(Completion)
    const file = FILES[args.shell as keyof typeof FILES]
    const script = readFileSync(new URL(`../../completions/${file}`, import.meta.url), 'utf8')
    if (!this.jsonEnabled()) process.stdout.write(script)
    return {shell: args.shell, script}
  }
}
