/** The small TypeScript project the demo works on. */
export const DEMO_FILES: Record<string, string> = {
  'package.json': '{\n  "name": "demo-shop",\n  "version": "1.0.0",\n  "type": "module",\n  "scripts": {"test": "node --test"}\n}\n',
  'README.md': '# demo-shop\n\nA tiny shop used by the git-pare demo.\n',
  'src/cart.ts': [
    'export interface Item {',
    '  name: string',
    '  price: number',
    '}',
    '',
    'export function total(items: Item[]): number {',
    "  console.log('computing total', items.length)",
    '  return items.reduce((sum, i) => sum + i.price, 0)',
    '}',
    '',
  ].join('\n'),
  'src/greet.ts': [
    'export function greet(name: string): string {',
    "  console.log('greeting', name)",
    '  return `Welcome to the shop, ${name}!`',
    '}',
    '',
  ].join('\n'),
}

export const DEMO_TASK = 'remove the console.log calls from src/'

/** The plan the demo planner answers with (strict JSON, as a real planner would). */
export const DEMO_PLAN = {
  task: DEMO_TASK,
  steps: [
    {
      description: 'Remove console.log from src/cart.ts',
      instruction: 'Delete the console.log line in total() in src/cart.ts; keep the return statement.',
      files: ['src/cart.ts'],
      verify: {type: 'pattern_absent', pattern: 'console\\.log', path: 'src/cart.ts'},
      tool_budget: 4,
    },
    {
      description: 'Remove console.log from src/greet.ts',
      instruction: 'Delete the console.log line in greet() in src/greet.ts.',
      files: ['greet'],
      verify: {type: 'pattern_absent', pattern: 'console\\.log', path: 'src/'},
      tool_budget: 4,
    },
  ],
}
