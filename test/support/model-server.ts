/**
 * The loopback model server for tests: a real HTTP server on 127.0.0.1 answering from a script.
 * It lives in src/ because `git pare demo` ships it as the embedded demo model.
 *
 *   const server = await startScriptedServer([turn.tools([{name: 'read_file', args: {path: 'a.ts'}}]), turn.text('done')])
 *   ... point a client at server.url ...
 *   expect(server.chatRequests()[1].body.messages).toEqual(...)
 *   await server.close()
 */
export * from '../../src/core/model/scripted-server.js'
