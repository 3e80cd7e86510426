import {Help, type Command} from '@oclif/core'

/**
 * oclif's help, with the summary at the top of a command's help wrapped to the terminal like
 * every other section (oclif prints it on one line, however long). package.json oclif.helpClass.
 */
// eslint-disable-next-line no-restricted-syntax -- oclif loads the help class (package.json oclif.helpClass) from the default export
export default class AlpiHelp extends Help {
  protected override summary(c: Command.Loadable): string | undefined {
    const summary = super.summary(c)
    return summary === undefined ? undefined : this.wrap(summary)
  }
}
