/**
 * The edit matcher behind edit_file and patch_file: pure functions over a file's text.
 *
 * old_str is located exactly, else by a cascade of formatting-only normalisations (line endings,
 * trailing blanks, runs of blanks, blank edge lines, a missing final newline, indentation shifted,
 * rescaled or tabbed, read-output line prefixes, one level of JSON/HTML escaping, a code fence,
 * typography, Unicode form); the first level that finds any place decides, and it must find exactly
 * one (or an anchor must pick one). The same transformation is applied to new_str; lines the model
 * did not change keep the file's bytes, and changed lines keep them around the change. Anything that
 * differs in content is refused with what the model needs to succeed next time.
 */
export {applyEdit, byAnchor, levelText, locate, noMatchMessage, type EditFailure, type EditOptions, type EditResult} from './apply.js'
export {splitFile, type FileLines} from './lines.js'
export {LEVELS, locateIn, type Located, type Match} from './match.js'
export {applyPatch, parsePatch, type Hunk, type PatchResult} from './patch.js'
export {mostSimilar, similarity} from './similar.js'
