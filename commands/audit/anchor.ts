import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {writeAnchor} from '../../src/audit/anchor.js'
import {t} from '../../src/core/messages/index.js'

export class AuditAnchor extends BaseCommand<typeof AuditAnchor> {
  static override readOnly = true
  static override summary = "Export the audit chain's head, signed, to keep outside the store"
  static override description = `Verifies the chain, then writes its head (entry and hash), the number of entries, the time and the technician to FILE, signed with this machine's ed25519 key (created on first use next to the config file, 0600). Keep the file outside the store: mail it, print it, store it with the backups. Later, \`alpi audit verify --anchor FILE\` proves that nothing was cut or rewritten before that head.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> audit anchor --out /media/usb/alpi-anchor-2026-11-28.json']
  static override flags = {
    out: Flags.string({char: 'o', required: true, description: 'The anchor file to write (replaced if it exists).'}),
  }

  public async run() {
    const store = await this.store()
    const ctx = await this.context()
    const r = await writeAnchor(store, {out: this.flags.out, actor: ctx.actor})
    this.print(t('anchorWritten', {path: r.path, seq: r.anchor.seq, hash: r.anchor.head, fingerprint: r.signature.fingerprint}))
    return r
  }
}
