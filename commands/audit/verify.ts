import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {parseHead, readAnchor, tamperedError} from '../../src/audit/anchor.js'
import {t} from '../../src/core/messages/index.js'
import {verifyAudit} from '../../src/audit/journal.js'

export class AuditVerify extends BaseCommand<typeof AuditVerify> {
  static override readOnly = true
  static override summary = 'Check the audit journal hash chain: detects edited, deleted or truncated entries'
  static override description = `Each entry's hash covers its fields and the previous entry's hash, so an entry changed or removed in the database breaks the chain from that point. A journal dropped, emptied or restarted while the store holds data fails too.

The chain uses no secret: someone who can write the store can rebuild a whole new chain. Only a head recorded OUTSIDE the store proves nothing was cut or rewritten before it: pass the head printed by an earlier verify (--expect-head) or an anchor file written by \`alpi audit anchor\` (--anchor).

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> audit verify',
    '<%= config.bin %> audit verify --expect-head 3f1c...e9 --json',
    '<%= config.bin %> audit verify --anchor /media/usb/alpi-anchor-2026-11-28.json',
  ]
  static override flags = {
    'expect-head': Flags.string({
      description: 'A head recorded earlier (printed by audit verify): it must still be in the chain.',
      multiple: true,
    }),
    anchor: Flags.string({
      description: 'An anchor file written by `alpi audit anchor`: its signature is checked and its head must still be in the chain.',
      multiple: true,
    }),
  }

  public async run() {
    const anchors: {hash: string; seq?: number}[] = (this.flags['expect-head'] ?? []).map((h) => ({hash: parseHead(h)}))
    for (const file of this.flags.anchor ?? []) {
      const a = readAnchor(file)
      if (a.otherKey) this.out.warn(a.otherKey)
      anchors.push({hash: a.anchor.head, seq: a.anchor.seq})
    }
    const store = await this.store()
    const result = await verifyAudit(store.db, {anchors})
    if (!result.ok) throw tamperedError(result)
    const lines = [t('intact', {n: result.entries}), `head: ${result.headHash}`]
    for (const a of result.anchors) lines.push(t('anchored', {seq: a.foundAt!}))
    this.print(lines.join('\n'))
    return result
  }
}
