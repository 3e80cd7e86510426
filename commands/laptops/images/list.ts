import {BaseCommand, EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import {formatTable} from '../../../src/cli/table.js'
import {listImages} from '../../../src/laptops/images.js'
import {th} from '../../../src/laptops/messages/index.js'

export class LaptopsImagesList extends BaseCommand<typeof LaptopsImagesList> {
  static override readOnly = true
  static override summary = 'List the golden images'
  static override description = EXIT_CODES_HELP
  static override examples = ['<%= config.bin %> laptops images list --json']

  public async run() {
    const images = await listImages(await this.context())
    this.print(
      formatTable(
        images.map((i) => ({...i, sha: i.sha256.slice(0, 16), present: i.present ? th('yes') : th('missing')})),
        [
          {key: 'name', header: th('name')},
          {key: 'size', header: th('rawBytes')},
          {key: 'compression', header: th('compression')},
          {key: 'sha', header: th('sha256')},
          {key: 'present', header: th('file')},
          {key: 'path', header: th('path')},
        ],
      ),
    )
    return images
  }
}
