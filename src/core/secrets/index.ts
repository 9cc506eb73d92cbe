// Secret scanning and redaction (secretlint's recommended rules plus a few shapes it misses). The scanner
// is imported on first use, so importing this module costs nothing at startup.
export type {Finding, ObjectFinding} from './types.js'
export {scanText} from './scanner.js'
export {redact, marker} from './redact.js'
export {redactJsonl} from './jsonl.js'
export {redactYaml} from './yaml.js'
export {isSecretFileName} from './names.js'
export {SecretsFoundError, describeFinding} from './secrets-found-error.js'
