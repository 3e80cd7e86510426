import {z} from 'zod'

/**
 * The one read contract of a wipe certificate: written by `alpi laptops wipe` and `alpi laptops certify` (src/laptops/wipe.ts,
 * its full WipeCertificate), read by `alpi win7 retire --wipe-certificate`. It lives below the
 * campaigns since campaigns never import each other. The fields that prove the wipe; other
 * fields are kept as they are.
 */
export const WipeCertificateSchema = z.looseObject({
  id: z.string().min(8),
  laptopSerial: z.string().min(1),
  standard: z.string().min(1),
  level: z.enum(['Clear', 'Purge']),
  method: z.string().min(1),
  verification: z.looseObject({passed: z.boolean()}),
  start: z.string().min(10),
  end: z.string().min(10),
  errors: z.number().int(),
  result: z.enum(['success', 'failed']),
})
export type WipeCertificateProof = z.infer<typeof WipeCertificateSchema>
