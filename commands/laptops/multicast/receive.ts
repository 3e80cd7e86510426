import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {reimageSummary} from '../../../src/laptops/format.js'
import {integer} from '../../../src/cli/flags.js'
import {multicastReceive} from '../../../src/laptops/multicast.js'

export class LaptopsMulticastReceive extends BaseCommand<typeof LaptopsMulticastReceive> {
  static override summary = "Receive a multicast image onto this laptop's disk, read it back, check the hash and record it"
  static override description = `Run on each network-booted laptop of the batch (with the shared store: --db postgres://...).
The disk must be the laptop's (serial in its probe snapshot) and wiped.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops multicast receive --image mint-21.3-xfce --device /dev/nvme0n1 --interface eth0 --yes',
  ]
  static override flags = {
    image: Flags.string({description: 'Image name (for its hash and compression)', required: true}),
    device: Flags.string({description: 'Disk to write', required: true}),
    interface: Flags.string({description: 'Network interface', required: true}),
    portbase: integer({description: 'udpcast port base (as the sender)', min: 1024, max: 65_534}),
    'start-timeout': integer({description: 'Give up if no sender within this many seconds', default: 600, min: 1, max: 86_400}),
  }

  public async run() {
    const f = this.flags
    return this.summarised(
      multicastReceive(await this.context(), {
        image: f.image,
        device: f.device,
        interface: f.interface,
        portbase: f.portbase,
        startTimeout: f['start-timeout'],
      }),
      reimageSummary,
    )
  }
}
