import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {integer} from '../../../src/cli/flags.js'
import {multicastSend} from '../../../src/laptops/multicast.js'
import {t} from '../../../src/laptops/messages/index.js'

export class LaptopsMulticastSend extends BaseCommand<typeof LaptopsMulticastSend> {
  static override readOnly = true
  static override summary = 'Send a golden image to a batch of network-booted laptops at once (udpcast udp-sender)'
  static override description = `Waits for --min-receivers laptops (at most --max-wait seconds), then streams the image file
as stored (a .zst image stays compressed on the wire). Each laptop runs \`alpi laptops multicast receive\`.

${EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> laptops multicast send --image mint-21.3-xfce --interface eno1 --min-receivers 12 --max-wait 300',
  ]
  static override flags = {
    image: Flags.string({description: 'Image name', required: true}),
    interface: Flags.string({description: 'Network interface facing the laptops', required: true}),
    'min-receivers': integer({
      description: 'Start when this many receivers joined',
      required: true,
      min: 1,
      max: 1000,
      aliases: ['clients'],
    }),
    'max-wait': integer({
      description: 'Start anyway after this many seconds (with at least one receiver)',
      default: 300,
      min: 1,
      max: 86_400,
    }),
    portbase: integer({description: 'udpcast port base (default 9000); one per simultaneous batch', min: 1024, max: 65_534}),
  }

  public async run() {
    const f = this.flags
    const r = await multicastSend(await this.context(), {
      image: f.image,
      interface: f.interface,
      minReceivers: f['min-receivers'],
      maxWait: f['max-wait'],
      portbase: f.portbase,
    })
    this.print(t('multicastSent', {image: r.image, bytes: r.bytes, file: r.file}))
    return r
  }
}
