import {z} from 'zod'
import {defineConfigSection} from '../core/config.js'
import {text} from '../csv/fields.js'

/** The `win7` section of the config file: the defaults of every member's staging profile. */
export const Win7ConfigSchema = z.object({
  // Values written into the answer file: one line each, bounded (no line break can add an element).
  domain: text({max: 253}).optional(),
  ou: text({max: 500}).optional(),
  joinAccount: text({max: 104}).default('svc-jonction'),
  namingRule: text({max: 100}).default('{code:6}-{serial:6}'),
  usmtStore: text({max: 260}).default('\\\\srv-alpi\\usmt$'),
  usmtDir: text({max: 260}).default('C:\\USMT\\amd64'),
  software: z
    .array(text({max: 200}))
    .default(['Mozilla.Firefox.ESR', '7zip.7zip', 'TheDocumentFoundation.LibreOffice', 'Adobe.Acrobat.Reader.64-bit']),
})

export const win7Config = defineConfigSection('win7', Win7ConfigSchema)
