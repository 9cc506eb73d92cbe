// Names of files that usually hold credentials. An untracked file with such a name stays out of session
// `work` trees (which are pushed) unless the user opts in (`sessions: {secret_files: true}`); a tracked
// one is already in the user's history and stays. Matched on the file's own name, case-insensitively:
//   .env, .env.* (not .env.example/.sample/.template/.dist, which are committed templates), *.env
//   *.pem, *.key, *.p12, *.pfx, *.jks, *.keystore, *.ppk, *.kdbx          (keys, certificates, key stores)
//   id_rsa, id_ed25519, id_ecdsa, any id_<name> without an extension, *_rsa, *_ed25519 (SSH keys; *.pub is public)
//   .npmrc, .pypirc, .netrc, _netrc, .git-credentials, .htpasswd, .pgpass   (tools' credential files)
//   credentials, credentials*.json, client_secret*.json, secrets.{json,yaml,yml,toml}
const PATTERNS: RegExp[] = [
  /^\.env$/,
  /^\.env\.(?!(?:example|sample|template|dist)$).+$/,
  /^.+\.env$/,
  /\.(?:pem|key|p12|pfx|jks|keystore|ppk|kdbx)$/,
  /^id_[a-z0-9_-]+$/,
  /^.+_(?:rsa|dsa|ecdsa|ed25519)$/,
  /^(?:\.npmrc|\.pypirc|\.netrc|_netrc|\.git-credentials|\.htpasswd|\.pgpass)$/,
  /^credentials$/,
  /^credentials.*\.json$/,
  /^client_secret.*\.json$/,
  /^secrets\.(?:json|ya?ml|toml)$/,
]

/** Whether a repository path (`a/b/.env.local`) names a file that usually holds credentials (see the list above). */
export function isSecretFileName(repoPath: string): boolean {
  const base = (repoPath.split('/').pop() ?? '').toLowerCase()
  return base !== '' && !base.endsWith('.pub') && PATTERNS.some((p) => p.test(base))
}
