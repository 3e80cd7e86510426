import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {RuleViolation} from '../../../src/core/errors.js'
import {verifyImage} from '../../../src/laptops/images.js'
import {msg, t} from '../../../src/laptops/messages/index.js'

export class LaptopsImagesVerify extends BaseCommand<typeof LaptopsImagesVerify> {
  static override readOnly = true
  static override summary = 'Check that an image file still has its recorded sha256 and size'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops images verify mint-21.3-xfce']
  static override args = {name: Args.string({description: 'Image name', required: true})}

  public async run() {
    const r = await verifyImage(await this.context(), this.args.name)
    if (!r.ok)
      throw new RuleViolation('IMAGE_CORRUPT', msg('imageCorrupt', {name: r.name, problem: r.problem ?? ''}), {
        actions: [msg('imageCorruptAction')],
        data: r,
      })
    this.print(t('imageVerified', {name: r.name, hash: r.actual ?? ''}))
    return r
  }
}
