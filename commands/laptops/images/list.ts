import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {listImages} from '../../../src/laptops/images.js'
import {imagesListView} from '../../../src/laptops/format.js'

export class LaptopsImagesList extends BaseCommand<typeof LaptopsImagesList> {
  static override readOnly = true
  static override summary = 'List the golden images'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops images list --json']

  public async run() {
    const images = await listImages(await this.context())
    this.print(imagesListView(images))
    return images
  }
}
