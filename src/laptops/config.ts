import {z} from 'zod'
import {defineConfigSection} from '../core/config.js'

/** `laptops` section of the config file, with the workshop's defaults. */
export const GradingSchema = z
  .object({
    /** battery full/design below this → needs a battery */
    batteryMinHealthPct: z.number().min(0).max(100).default(60),
    /** a laptop without a battery needs one (they are given for use away from home) */
    batteryRequired: z.boolean().default(true),
    /** ATA 5 / 197 / 198 raw values above these → needs a disk */
    maxReallocated: z.number().int().min(0).default(0),
    maxPending: z.number().int().min(0).default(0),
    maxOfflineUncorrectable: z.number().int().min(0).default(0),
    /** NVMe percentage_used at or above this → needs a disk */
    nvmeMaxPercentageUsed: z.number().int().min(0).max(255).default(90),
    nvmeMaxMediaErrors: z.number().int().min(0).default(0),
    minRamGiB: z.number().min(0).default(4),
    minDiskGB: z.number().min(0).default(100),
    /** this many parts needed or more → scrap rather than repair */
    scrapWhenPartsAtLeast: z.number().int().min(1).default(3),
  })
  .prefault({})

export const LaptopsConfigSchema = z.object({
  grading: GradingSchema,
  organisation: z.string().optional(),
})
export type GradingThresholds = z.infer<typeof GradingSchema>

export const laptopsConfig = defineConfigSection('laptops', LaptopsConfigSchema)
