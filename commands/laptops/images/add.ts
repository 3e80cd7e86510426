import {Args} from '@oclif/core'
import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {addImage} from '../../../src/laptops/images.js'

export class LaptopsImagesAdd extends BaseCommand<typeof LaptopsImagesAdd> {
  static override summary = 'Record a golden image (raw .img or .img.zst): sha256 and size of the raw content'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops images add mint-21.3-xfce /srv/images/mint-21.3-xfce.img.zst']
  static override args = {
    name: Args.string({description: 'Image name', required: true}),
    file: Args.string({description: 'Image file', required: true}),
  }

  public async run() {
    const r = await addImage(await this.context(), {name: this.args.name, file: this.args.file})
    this.print(`${r.name}: ${r.size} bytes raw, ${r.compression}, sha256 ${r.sha256}${r.existed ? ' (already recorded)' : ''}`)
    return r
  }
}
