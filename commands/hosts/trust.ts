import {readFileSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {integer} from '../../src/cli/flags.js'
import {confirmAction} from '../../src/cli/prompt.js'
import {UsageError} from '../../src/core/errors.js'
import {trustHostKey} from '../../src/remote/host-keys.js'
import {t} from '../../src/remote/messages/index.js'

export class HostsTrust extends BaseCommand<typeof HostsTrust> {
  static override summary = 'Pin the SSH host key of a machine (alpi refuses unknown and changed keys)'
  static override description = `Connects to HOST (no login), shows the key it offers and records it when it matches
--fingerprint (read it on the machine itself: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub),
or after a confirmation (--yes in scripts). --public-key-file pins a key without connecting.
Replacing a different pinned key needs --fingerprint (or a confirmation at a terminal):
--yes alone is refused.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> hosts trust 10.40.0.1 --fingerprint SHA256:3nVq0V0sKq1b2d4uXk9TtYp7GZ5m6W1Zr0aYcXbQe8M',
    '<%= config.bin %> hosts trust box-0400001k.lan --port 2222',
    '<%= config.bin %> hosts trust 10.40.0.1 --public-key-file ./ssh_host_ed25519_key.pub --json',
  ]
  static override args = {host: Args.string({description: 'Host name or address', required: true})}
  static override flags = {
    port: integer({description: 'SSH port', default: 22, min: 1, max: 65535}),
    fingerprint: Flags.string({description: 'Expected SHA256 fingerprint (as ssh-keygen -lf prints it): recorded only if it matches'}),
    'public-key-file': Flags.string({description: 'Pin this public key (.pub file) without connecting', exclusive: ['fingerprint']}),
    timeout: integer({description: 'Connect timeout in seconds', default: 20, min: 1, max: 3600}),
  }

  public async run() {
    let publicKey: string | undefined
    if (this.flags['public-key-file']) {
      try {
        publicKey = readFileSync(this.flags['public-key-file'], 'utf8')
      } catch (error) {
        throw new UsageError(
          t.m('cannotReadPub', {path: this.flags['public-key-file'], code: String((error as NodeJS.ErrnoException).code)}),
          {actions: [t.m('cannotReadPubAction')]},
        )
      }
    }
    const r = await trustHostKey(await this.context(), {
      host: this.args.host,
      port: this.flags.port,
      fingerprint: this.flags.fingerprint,
      publicKey,
      timeoutMs: this.flags.timeout * 1000,
      // a replacement is never answered by --yes: it is what a man-in-the-middle looks like
      confirm: (q) =>
        confirmAction(
          {interactive: this.guard.interactive, yes: q.replaces ? false : this.guard.yes},
          t('trustConfirm', {
            type: q.keyType,
            fp: q.fingerprint,
            host: q.host,
            port: q.port,
            replacing: q.replaces ? t('trustReplaces', {fp: q.replaces}) : '',
          }),
        ),
    })
    const p = {host: r.host, port: r.port, type: r.keyType, fp: r.fingerprint, prev: r.previousFingerprint ?? ''}
    this.print(t(r.status === 'pinned' ? 'pinned' : r.status === 'replaced' ? 'replaced' : 'unchanged', p))
    return r
  }
}
