import {Args, Flags} from '@oclif/core'

/** The argument and flags every CSV import command takes (one definition, one help text). */
export const importArgs = {file: Args.string({description: 'CSV file, or - for standard input', required: true})}

export const importFlags = {
  rejects: Flags.string({description: 'Where to write the rejected rows (default: next to the file)'}),
  'dry-run': Flags.boolean({description: 'Validate and write the rejects file, change nothing'}),
  'repair-encoding': Flags.boolean({
    description: 'In a UTF-8 file, read the rows that are not UTF-8 as Windows-1252 (listed in a warning) instead of rejecting them',
  }),
}
