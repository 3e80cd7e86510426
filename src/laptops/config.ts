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

/** `laptops.labels`: asset labels (alpi laptops label, the bench station). */
export const LabelsSchema = z
  .object({
    /** one label's size in millimetres (a roll of single labels) */
    widthMm: z.number().min(20).max(200).default(62),
    heightMm: z.number().min(15).max(200).default(29),
    /** what the QR code holds: the asset tag, or a URL built from {tag} and {serial} */
    qrUrl: z.string().min(1).optional(),
    /** a Zebra printer for ZPL (host or host:port, raw TCP, port 9100 by default) */
    printer: z.string().min(1).optional(),
    /** the printer's resolution in dots per inch (203 or 300) */
    dpi: z.number().int().min(100).max(600).default(203),
    /** milliseconds to wait for the printer before giving up */
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  })
  .prefault({})

/** `laptops.bench`: the bench station's defaults (flags override them). */
export const BenchSchema = z
  .object({
    /** the dock bays this station may write to */
    bays: z.array(z.string().min(1)).default([]),
    /** the golden image written after the wipe */
    image: z.string().min(1).optional(),
    /** a folder where the workshop key leaves probe snapshots (SERIAL.json) */
    probeDir: z.string().min(1).optional(),
  })
  .prefault({})

export const LaptopsConfigSchema = z.object({
  grading: GradingSchema,
  labels: LabelsSchema,
  bench: BenchSchema,
  organisation: z.string().optional(),
  /** a handover made by mistake can be cancelled within this many hours (then it is a return) */
  handoverCancelHours: z.number().int().min(0).max(8760).default(48),
})
export type GradingThresholds = z.infer<typeof GradingSchema>

export const laptopsConfig = defineConfigSection('laptops', LaptopsConfigSchema)
export type LabelSettings = z.infer<typeof LabelsSchema>
