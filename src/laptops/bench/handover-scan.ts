import {createInterface} from 'node:readline'
import type {ServiceContext} from '../../context/service-context.js'
import {toAlpiError} from '../../core/errors.js'
import {handover, type HandoverResult} from '../giving.js'
import {bt} from '../messages/index.js'

export interface HandoverScanResult {
  handovers: HandoverResult[]
  /** scans refused (each said in one line) */
  refused: number
}

/**
 * `laptops handover --scan`, a distribution day with a scanner: the beneficiary's convention
 * card (their reference), then the laptop (serial or asset tag), then the receipt is written
 * by the one handover service (same rules as `handover SERIAL --beneficiary REF`). A refusal is
 * one line on stderr and the station waits for the next card. CANCEL forgets the card scanned;
 * QUIT, or the end of the input, ends the day.
 */
export async function handoverScan(
  ctx: ServiceContext,
  opts: {input: NodeJS.ReadableStream; say: (line: string) => void; done: (line: string) => void; outDir: string; organisation?: string},
): Promise<HandoverScanResult> {
  const result: HandoverScanResult = {handovers: [], refused: 0}
  let card: string | undefined
  const refuse = (text: string) => {
    result.refused++
    card = undefined
    opts.say(`! ${text}`)
    opts.say(bt('scanCardPrompt'))
  }
  opts.say(bt('scanCardPrompt'))
  const rl = createInterface({input: opts.input, crlfDelay: Infinity})
  for await (const raw of rl) {
    const code = raw.trim()
    if (code === '') continue
    const upper = code.toUpperCase()
    if (upper === 'QUIT' || upper === 'QUITTER') break
    if (upper === 'CANCEL' || upper === 'ANNULER') {
      card = undefined
      opts.say(bt('scanCardPrompt'))
      continue
    }
    try {
      if (!card) {
        const b = await ctx.store.db.selectFrom('laptop_beneficiaries').select('ref').where('ref', '=', code).executeTakeFirst()
        if (!b) {
          const isLaptop = await findLaptop(ctx, code)
          refuse(isLaptop ? bt('scanCardFirst') : bt('scanNoCard', {code}))
          continue
        }
        card = b.ref
        opts.say(bt('scanLaptopPrompt', {ref: card}))
        continue
      }
      const serial = await findLaptop(ctx, code)
      if (!serial) {
        refuse(bt('scanNoLaptop', {code}))
        continue
      }
      const h = await handover(ctx, {serial, beneficiary: card, outDir: opts.outDir, organisation: opts.organisation})
      result.handovers.push(h)
      card = undefined
      opts.done(bt('scanHandedOver', {serial: h.serial, ref: h.beneficiary, receipt: h.receipt}))
      opts.say(bt('scanCardPrompt'))
    } catch (error) {
      const e = toAlpiError(error)
      refuse(`[${e.code}] ${e.message}`)
    }
  }
  rl.close()
  return result
}

async function findLaptop(ctx: ServiceContext, code: string): Promise<string | undefined> {
  const l = await ctx.store.db
    .selectFrom('laptops')
    .select('serial')
    .where((eb) => eb.or([eb('serial', '=', code), eb('asset_tag', '=', code)]))
    .executeTakeFirst()
  return l?.serial
}
