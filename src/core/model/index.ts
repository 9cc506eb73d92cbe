/** The model layer: an OpenAI-compatible client that survives real providers, and the scripted server for tests and the demo. */
export * from './types.js'
export {createModelClient, DEFAULT_TIMEOUTS, type ModelClientOptions, type PareModelClient} from './client.js'
export {checkLocalContext, isLocalEndpoint, serverRoot, type LocalContextInfo} from './ollama.js'
export {approxTokens, countPromptTokens, fitMaxTokens, DEFAULT_MAX_OUTPUT} from './budget.js'
export {parseToolArguments, repairJson} from './json-repair.js'
export {startScriptedServer, turn, type ScriptedServer, type ScriptedServerOptions, type OllamaModel} from './scripted-server.js'
export type {Policy, RecordedRequest, ScriptedCall, Turn} from './scripted-turns.js'
