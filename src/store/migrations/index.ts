import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'
import * as m0001 from './0001_core.js'
import * as m0002 from './0002_laptops.js'
import * as m0003 from './0003_firewalls.js'
import * as m0004 from './0004_cityfamily.js'
import * as m0005 from './0005_win7.js'
import * as m0006fw from './0006_firewalls_register.js'
import * as m0007 from './0007_laptops_workshop.js'
import * as m0008bench from './0008_laptops_bench.js'

export interface MigrationModule {
  up(db: Kysely<any>, dialect: Dialect): Promise<void>
  down?(db: Kysely<any>, dialect: Dialect): Promise<void>
}

/** Explicit, ordered list (no folder scanning: it breaks with dist paths and bundling). */
export const MIGRATIONS: Record<string, MigrationModule> = {
  '0001_core': m0001,
  '0002_laptops': m0002,
  '0003_firewalls': m0003,
  '0004_cityfamily': m0004,
  '0005_win7': m0005,
  '0006_firewalls_register': m0006fw,
  '0007_laptops_workshop': m0007,
  '0008_laptops_bench': m0008bench,
}
