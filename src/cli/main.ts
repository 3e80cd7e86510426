/**
 * What bin/run.js starts: oclif's entry points, from the same bundle as the commands
 * (bin/esbuild.mjs), so that one copy of @oclif/core serves the command line, the commands and the
 * help class. `run` serves bin/help-cache.mjs, which writes every help text at build time.
 */
export {execute, run} from '@oclif/core'
