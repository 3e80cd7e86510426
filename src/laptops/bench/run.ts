import {hostname} from 'node:os'
import type {ServiceContext} from '../../context/service-context.js'
import {ensureDir} from '../../core/fs.js'
import {UsageError} from '../../core/errors.js'
import {laptopsConfig} from '../config.js'
import {bt} from '../messages/index.js'
import {getImage} from '../images.js'
import {benchScreen} from './screen.js'
import {BenchStation, type ProbeSource} from './station.js'

export interface BenchOptions {
  station?: string
  image?: string
  bays: string[]
  probeDir?: string
  ssh?: {host: string; port?: number; username: string}
  here?: boolean
  outDir: string
  labelsDir: string
  zpl?: boolean
  input: NodeJS.ReadStream
  output: NodeJS.WriteStream
}

export interface BenchSummary {
  station: string
  /** laptops taken to ready in this session */
  ready: string[]
  /** jobs left for the next opening */
  interrupted: number
  /** inputs (keys and scans) per laptop handled */
  inputs: Record<string, number>
}

/** `laptops bench`: open the station, resume its jobs, take scans until QUIT, Ctrl-C or the end of the input. */
export async function runBench(ctx: ServiceContext, opts: BenchOptions): Promise<BenchSummary> {
  const cfg = laptopsConfig.read(ctx.config).bench
  const bays = opts.bays.length ? opts.bays : cfg.bays
  const image = opts.image ?? cfg.image
  if (bays.length === 0) throw new UsageError(bt('benchNoBays'), {actions: [bt('benchNoBaysAction')]})
  if (!image) throw new UsageError(bt('benchNoImage'), {actions: [bt('benchNoImageAction')]})
  await getImage(ctx, image)
  const station = opts.station ?? hostname()
  const probeDir = opts.probeDir ?? cfg.probeDir
  const probe: ProbeSource = opts.here
    ? {kind: 'local'}
    : opts.ssh
      ? {kind: 'ssh', ssh: opts.ssh}
      : probeDir
        ? {kind: 'dir', dir: probeDir}
        : {kind: 'stored'}
  ensureDir(opts.outDir)
  ensureDir(opts.labelsDir)
  const tty = Boolean(opts.input.isTTY && opts.output.isTTY)
  const screen = await benchScreen({
    input: opts.input,
    output: opts.output,
    title: bt('benchTitle', {station, image, bays: bays.length}),
    tty,
  })
  const summary: BenchSummary = {station, ready: [], interrupted: 0, inputs: {}}
  const bench = new BenchStation(
    ctx,
    {station, image, bays, probe, outDir: opts.outDir, labels: {zpl: Boolean(opts.zpl), dir: opts.labelsDir}},
    {
      say: screen.say,
      changed: screen.changed,
      handled: (serial, inputs) => (summary.inputs[serial] = inputs),
      finished: (serial, status) => {
        if (status === 'done') summary.ready.push(serial)
      },
    },
  )
  const previous = await bench.open()
  if (previous.length > 0)
    screen.say(
      bt('benchResumed', {
        n: previous.length,
        list: previous
          .map((j) => `${j.serial} (${bt(`step_${j.step}` as 'step_done')}, ${bt(`status_${j.status}` as 'status_done')})`)
          .join(', '),
      }),
      'info',
    )
  if (opts.here) await bench.here()
  const how = await screen.run(bench)
  if (how === 'quit') {
    summary.interrupted = bench.busy
    await bench.close()
    if (summary.interrupted > 0) opts.output.write(`${bt('benchQuit', {n: summary.interrupted})}\n`)
  } else await bench.close()
  return summary
}
