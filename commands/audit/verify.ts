import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {verifyAudit} from '../../src/core/audit.js'
import {AlpiError} from '../../src/core/errors.js'
import {t} from '../../src/cli/messages.js'

export class AuditVerify extends BaseCommand<typeof AuditVerify> {
  static override readOnly = true
  static override summary = 'Check the audit journal hash chain: detects edited or deleted entries'
  static override description = `Each entry's hash covers its fields and the previous entry's hash, so an entry changed or removed in the database breaks the chain from that point.\n\n${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> audit verify', '<%= config.bin %> audit verify --json']

  public async run() {
    const store = await this.store()
    const result = await verifyAudit(store.db)
    if (!result.ok) {
      const first = result.problems[0]!
      throw new AlpiError('AUDIT_TAMPERED', `The audit journal is not intact: ${result.problems.length} problem(s), first at entry ${first.seq} (${first.detail})`, 1, {
        data: result,
        actions: ['Restore the store from a backup (alpi db backup) and compare; report the incident to the DPO/RSSI.'],
      })
    }
    this.print(`${t('auditIntact', {n: result.entries})}\nhead: ${result.headHash}`)
    return result
  }
}
