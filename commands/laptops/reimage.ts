import {Flags} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../src/cli/base-command.js'
import {confirmAction} from '../../src/cli/prompt.js'
import {reimage} from '../../src/laptops/reimage.js'
import {reimageSummary} from '../../src/laptops/format.js'
import {t} from '../../src/laptops/messages/index.js'

export class LaptopsReimage extends BaseCommand<typeof LaptopsReimage> {
  static override summary = 'Write a golden image onto one or more wiped disks at once, read each back and check its hash'
  static override description = `Each device must be the disk of a recorded laptop (its serial is in the laptop's probe
snapshot) in state wiped, imaged or ready. The image is read or decompressed once and written to
every device. Laptops graded "ready" become ready.

${EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> laptops reimage --image mint-21.3-xfce --device /dev/sdb --device /dev/sdc --yes']
  static override flags = {
    image: Flags.string({description: 'Image name (alpi laptops images list)', required: true}),
    device: Flags.string({description: 'Target disk (repeat for several)', required: true, multiple: true}),
  }

  public async run() {
    const work = reimage(await this.context(), {
      image: this.flags.image,
      devices: this.flags.device,
      confirm: (targets) =>
        confirmAction(
          this.guard,
          t('reimageConfirm', {
            list: targets.map((x) => t('reimageTarget', {device: x.device, laptop: x.laptop})).join(', '),
            image: this.flags.image,
          }),
        ),
    })
    // a failed device (exit 4) does not hide the others: every device's line, then the error
    return this.summarised(work, reimageSummary)
  }
}
