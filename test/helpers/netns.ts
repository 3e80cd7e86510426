/**
 * Test bed: network namespaces as hosts (real kernel namespaces, iproute2; needs root).
 *
 * HIGH LEVEL
 *   const lab = await createLab({hosts: 3})            // or hosts: ['box', 'pc1']
 *   lab.subnet      '198.19.77.0/24' (a /24 in 198.18.0.0/15, unique among live labs)
 *   lab.gateway     '198.19.77.1'  (root-namespace side: the bridge's address)
 *   lab.hosts       [{name: 'alpi-k3x9q-h1' (the netns name), label: 'h1', ip: '198.19.77.2', ifname: 'eth0'}, ...]
 *   await lab.exec('h1', ['ip', 'addr'])                 // ip netns exec; host = label, netns name or Host
 *   const child = lab.spawn('h1', ['udp-receiver', ...]) // long-running process, killed by cleanup()
 *   lab.hostDir('h1')  a per-host folder (/tmp/alpi-lab-<id>/h1) — namespaces share the filesystem,
 *                      so give each host its own paths under hostDir() in your configs.
 *   await lab.cleanup()                                  // also runs on process 'exit' as a safety net
 *
 * The root namespace (the test process, alpi) reaches every host through a bridge in the root
 * namespace (`ab<id>`, multicast snooping off) with one veth per host; each host has `eth0`
 * with `brd +`, lo up and `224.0.0.0/4 dev eth0` (multicast for udpcast). No default route
 * anywhere: test traffic never leaves the veths. With {bridge: false} there is no bridge and
 * each host gets its own point-to-point veth pair with the root namespace instead (still one
 * /24 per lab: host i gets .(i+1), root side has .1 on every pair with a /32 route per host).
 *
 * LOW LEVEL (hosts that the root namespace cannot reach, e.g. a pupil behind a school box)
 *   const box = await lab.addHost('box')                // namespace + veth on the bridge: reachable from root
 *   const pupil = await lab.addNamespace('pupil')       // namespace with only lo: isolated
 *   const link = await lab.linkNamespaces('box', 'pupil')          // veth pair box<->pupil,
 *       // a fresh /24 from the lab's pool: box side .1, pupil side .2; or give CIDRs:
 *       // lab.linkNamespaces('box', 'pupil', '10.0.0.1/24', '10.0.0.2/24', {ifA: 'lan0', ifB: 'eth0'})
 *       // → {a: {ns, ifname, ip, cidr}, b: {...}, subnet}
 *   await lab.addRoute('pupil', 'default', link.a.ip)   // inside pupil: default via the box
 *   await lab.enableForwarding('box')                    // net.ipv4.ip_forward=1 inside box
 *   await lab.setLinkUp('box', false)                    // unplug a host's interface (silent death)
 *   Subnets made by linkNamespaces()/allocSubnet() get an `unreachable` route in the root
 *   namespace: the test process never reaches them, and its packets never go to the uplink.
 *
 * Uniqueness across concurrent test processes: a lab id of 5 random chars names everything
 * (netns `alpi-<id>-<label>`, bridge `ab<id>`, veths `av<id><n>`/`ap<id><n>`, all ≤15 chars).
 * Subnets are chosen under a lock file (/tmp/alpi-netns/lock) among third octets not used by
 * any live lab (registry files /tmp/alpi-netns/<id>.json) nor by any address or route of the
 * root namespace. Labs whose owning process died are swept on the next createLab().
 */
import {execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

const STATE_DIR = '/tmp/alpi-netns'
const LOCK = join(STATE_DIR, 'lock')

export interface Host {
  /** The netns name (unique on the machine). */
  name: string
  /** The short name given to createLab / addHost (h1, h2... by default). */
  label: string
  /** Address on the lab subnet (reachable from the root namespace), when attached. */
  ip: string
  /** Interface name inside the namespace for the lab subnet. */
  ifname: string
}

export interface NsEnd {
  ns: string
  ifname: string
  ip: string
  cidr: string
}

export interface NsLink {
  a: NsEnd
  b: NsEnd
  subnet: string
}

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
}

export type HostRef = string | Host

export interface Lab {
  id: string
  subnet: string
  gateway: string
  /** Hosts attached to the root namespace (createLab's hosts and addHost's), in order. */
  hosts: Host[]
  /** Per-lab scratch folder (/tmp/alpi-lab-<id>); removed by cleanup(). */
  dir: string
  /** Name of the bridge in the root namespace (undefined with bridge: false). */
  bridge?: string
  host(ref: HostRef): Host
  /** The netns name for a label, a netns name or a Host (namespaces without an address too). */
  nsName(ref: HostRef): string
  hostDir(ref: HostRef): string
  exec(ref: HostRef, argv: string[], opts?: {input?: string; allowFailure?: boolean; timeoutMs?: number}): Promise<ExecResult>
  spawn(ref: HostRef, argv: string[], opts?: SpawnOptions): ChildProcess
  addHost(label: string): Promise<Host>
  addNamespace(label: string): Promise<string>
  linkNamespaces(a: HostRef, b: HostRef, addrA?: string, addrB?: string, opts?: {ifA?: string; ifB?: string}): Promise<NsLink>
  addRoute(ref: HostRef, dest: string, via: string): Promise<void>
  enableForwarding(ref: HostRef): Promise<void>
  setLinkUp(ref: HostRef, up: boolean, ifname?: string): Promise<void>
  /** Allocate one more /24 (for your own links); released with the lab. */
  allocSubnet(): string
  /** Kill every process inside a namespace (SIGKILL). */
  killAll(ref: HostRef): void
  cleanup(): Promise<void>
}

interface Registry {
  pid: number
  id: string
  thirds: string[]
  namespaces: string[]
  links: string[]
  /** `unreachable` routes added in the root namespace for subnets it must not reach. */
  routes?: string[]
}

function ipSync(args: string[]): string {
  return execFileSync('ip', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
}

function run(argv: string[], opts: {input?: string; timeoutMs?: number} = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(
      argv[0]!,
      argv.slice(1),
      {encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024},
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? (err as {code: number}).code : 1) : 0
        resolve({code, stdout: String(stdout), stderr: String(stderr) + (err && code === 1 && !stderr ? String(err.message) : '')})
      },
    )
    if (opts.input !== undefined) child.stdin?.end(opts.input)
  })
}

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function withLock<T>(fn: () => T): T {
  mkdirSync(STATE_DIR, {recursive: true})
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx')
      writeFileSync(fd, String(process.pid))
      closeSync(fd)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      try {
        const holder = Number(readFileSync(LOCK, 'utf8'))
        const age = Date.now() - statSync(LOCK).mtimeMs
        if ((holder && !pidAlive(holder)) || age > 20_000) unlinkSync(LOCK)
      } catch {
        /* lock vanished meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`netns: could not take ${LOCK}`)
      sleepSync(20 + Math.random() * 50)
    }
  }
  try {
    return fn()
  } finally {
    try {
      unlinkSync(LOCK)
    } catch {
      /* ignore */
    }
  }
}

function readRegistries(): Registry[] {
  if (!existsSync(STATE_DIR)) return []
  const out: Registry[] = []
  for (const f of readdirSync(STATE_DIR)) {
    if (!f.endsWith('.json')) continue
    try {
      out.push(JSON.parse(readFileSync(join(STATE_DIR, f), 'utf8')) as Registry)
    } catch {
      /* half-written: ignore */
    }
  }
  return out
}

function writeRegistry(reg: Registry) {
  writeFileSync(join(STATE_DIR, `${reg.id}.json`), JSON.stringify(reg))
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0)
}

/** Every IPv4 CIDR present in the root namespace (addresses and routes). */
function rootCidrs(): Array<[number, number]> {
  const text = ipSync(['-o', '-4', 'addr']) + '\n' + ipSync(['-4', 'route', 'show', 'table', 'all'])
  const out: Array<[number, number]> = []
  for (const m of text.matchAll(/(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:\/(\d{1,2}))?/g)) {
    const bits = m[2] === undefined ? 32 : Number(m[2])
    const start = ipToInt(m[1]!)
    const size = 2 ** (32 - bits)
    const base = Math.floor(start / size) * size
    out.push([base, base + size - 1])
  }
  return out
}

/** Kill labs whose process died (left-overs of a crashed test run). Call under the lock. */
function sweepStale() {
  for (const reg of readRegistries()) {
    if (reg.pid === process.pid || pidAlive(reg.pid)) continue
    destroySync(reg)
    try {
      unlinkSync(join(STATE_DIR, `${reg.id}.json`))
    } catch {
      /* ignore */
    }
    rmSync(`/tmp/alpi-lab-${reg.id}`, {recursive: true, force: true})
  }
}

function nsPids(ns: string): number[] {
  try {
    return ipSync(['netns', 'pids', ns]).split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

function killNs(ns: string) {
  for (let i = 0; i < 5; i++) {
    const pids = nsPids(ns)
    if (pids.length === 0) return
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        /* gone */
      }
    }
    sleepSync(20)
  }
}

function destroySync(reg: Registry) {
  for (const ns of reg.namespaces) killNs(ns)
  for (const ns of reg.namespaces) {
    try {
      ipSync(['netns', 'del', ns])
    } catch {
      /* already gone */
    }
  }
  for (const link of reg.links) {
    try {
      ipSync(['link', 'del', link])
    } catch {
      /* gone with its namespace */
    }
  }
  for (const route of reg.routes ?? []) {
    try {
      ipSync(['route', 'del', 'unreachable', route])
    } catch {
      /* gone */
    }
  }
}

const liveLabs = new Set<() => void>()
let exitHooked = false
function hookExit() {
  if (exitHooked) return
  exitHooked = true
  const cleanAll = () => {
    for (const fn of liveLabs) {
      try {
        fn()
      } catch {
        /* best effort */
      }
    }
  }
  process.on('exit', cleanAll)
  // A test runner may end its workers with a signal: clean up, then die of the same signal.
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      cleanAll()
      process.removeListener(sig, onSignal)
      process.kill(process.pid, sig)
    }
    process.on(sig, onSignal)
  }
}

function randomId(n: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = randomBytes(n)
  let s = ''
  for (const b of bytes) s += alphabet[b % alphabet.length]
  return s
}

/** Pick a free third octet (198.18.x or 198.19.x) and record it in the registry. Under lock. */
function pickThird(reg: Registry): string {
  const used = new Set(readRegistries().flatMap((r) => r.thirds))
  for (const t of reg.thirds) used.add(t)
  const root = rootCidrs()
  for (let i = 0; i < 2000; i++) {
    const second = Math.random() < 0.5 ? 18 : 19
    const third = 1 + Math.floor(Math.random() * 254)
    const key = `198.${second}.${third}`
    if (used.has(key)) continue
    const lo = ipToInt(`${key}.0`)
    const hi = lo + 255
    if (root.some(([a, b]) => a <= hi && b >= lo)) continue
    reg.thirds.push(key)
    writeRegistry(reg)
    return key
  }
  throw new Error('netns: no free /24 in 198.18.0.0/15')
}

export async function createLab(opts: {hosts?: number | string[]; bridge?: boolean} = {}): Promise<Lab> {
  const id = randomId(5)
  const bridgeMode = opts.bridge !== false
  const reg: Registry = {pid: process.pid, id, thirds: [], namespaces: [], links: []}
  const prefix = withLock(() => {
    sweepStale()
    return pickThird(reg)
  })
  const dir = `/tmp/alpi-lab-${id}`
  mkdirSync(dir, {recursive: true})
  const hosts: Host[] = []
  const namespaces = new Map<string, string>() // label → netns
  const children = new Set<ChildProcess>()
  const ifCounter = new Map<string, number>()
  let vethN = 0
  let hostN = 0
  let cleaned = false
  const bridge = bridgeMode ? `ab${id}` : undefined
  const gateway = `${prefix}.1`

  const save = () => writeRegistry(reg)
  const cleanupSync = () => {
    if (cleaned) return
    cleaned = true
    liveLabs.delete(cleanupSync)
    for (const c of children) {
      try {
        c.kill('SIGKILL')
      } catch {
        /* gone */
      }
    }
    destroySync(reg)
    try {
      unlinkSync(join(STATE_DIR, `${id}.json`))
    } catch {
      /* ignore */
    }
    rmSync(dir, {recursive: true, force: true})
  }
  liveLabs.add(cleanupSync)
  hookExit()

  const nsName = (ref: HostRef): string => {
    if (typeof ref !== 'string') return ref.name
    const byLabel = namespaces.get(ref)
    if (byLabel) return byLabel
    if ([...namespaces.values()].includes(ref)) return ref
    throw new Error(`netns: no host ${ref} in lab ${id}`)
  }
  const nextIf = (ns: string, base = 'eth'): string => {
    const n = ifCounter.get(ns) ?? 0
    ifCounter.set(ns, n + 1)
    return `${base}${n}`
  }
  const vethPair = (): [string, string] => {
    vethN++
    return [`av${id}${vethN}`, `ap${id}${vethN}`]
  }
  const inNs = (ns: string, args: string[]) => ipSync(['-n', ns, ...args])
  // A subnet only namespaces use: the root namespace gets an `unreachable` route for it, so
  // that its packets never follow the default route to the uplink (and other labs see it taken).
  const isolatedThird = (): string => {
    const third = pickThird(reg)
    ipSync(['route', 'add', 'unreachable', `${third}.0/24`])
    reg.routes = [...(reg.routes ?? []), `${third}.0/24`]
    save()
    return third
  }

  const addNamespace = async (label: string): Promise<string> => {
    if (namespaces.has(label)) throw new Error(`netns: ${label} exists in lab ${id}`)
    const ns = `alpi-${id}-${label}`
    ipSync(['netns', 'add', ns])
    reg.namespaces.push(ns)
    save()
    namespaces.set(label, ns)
    inNs(ns, ['link', 'set', 'lo', 'up'])
    mkdirSync(join(dir, label), {recursive: true})
    return ns
  }

  if (bridge) {
    ipSync(['link', 'add', 'name', bridge, 'type', 'bridge', 'mcast_snooping', '0'])
    reg.links.push(bridge)
    save()
    ipSync(['addr', 'add', `${gateway}/24`, 'brd', '+', 'dev', bridge])
    ipSync(['link', 'set', bridge, 'up'])
  }

  const addHost = async (label: string): Promise<Host> => {
    hostN++
    if (hostN > 250) throw new Error('netns: at most 250 hosts per lab')
    const ns = await addNamespace(label)
    const [outer, inner] = vethPair()
    ipSync(['link', 'add', outer, 'type', 'veth', 'peer', 'name', inner])
    reg.links.push(outer)
    save()
    ipSync(['link', 'set', inner, 'netns', ns])
    const ifname = nextIf(ns)
    inNs(ns, ['link', 'set', inner, 'name', ifname])
    const ip = `${prefix}.${hostN + 1}`
    inNs(ns, ['addr', 'add', `${ip}/24`, 'brd', '+', 'dev', ifname])
    inNs(ns, ['link', 'set', ifname, 'up'])
    if (bridge) {
      ipSync(['link', 'set', outer, 'master', bridge])
      ipSync(['link', 'set', outer, 'up'])
    } else {
      ipSync(['addr', 'add', `${gateway}/32`, 'dev', outer])
      ipSync(['link', 'set', outer, 'up'])
      ipSync(['route', 'add', `${ip}/32`, 'dev', outer])
    }
    if (!bridge) inNs(ns, ['route', 'add', `${gateway}/32`, 'dev', ifname])
    inNs(ns, ['route', 'add', '224.0.0.0/4', 'dev', ifname])
    const host: Host = {name: ns, label, ip, ifname}
    hosts.push(host)
    return host
  }

  const lab: Lab = {
    id,
    subnet: `${prefix}.0/24`,
    gateway,
    hosts,
    dir,
    bridge,
    host(ref) {
      const ns = nsName(ref)
      const h = hosts.find((x) => x.name === ns)
      if (!h) throw new Error(`netns: ${String(typeof ref === 'string' ? ref : ref.label)} is not attached to the lab subnet`)
      return h
    },
    nsName,
    hostDir(ref) {
      const ns = nsName(ref)
      const label = [...namespaces.entries()].find(([, v]) => v === ns)![0]
      return join(dir, label)
    },
    async exec(ref, argv, o = {}) {
      const r = await run(['ip', 'netns', 'exec', nsName(ref), ...argv], o)
      if (r.code !== 0 && !o.allowFailure) throw new Error(`netns exec ${argv.join(' ')} failed (${r.code}): ${r.stderr}`)
      return r
    },
    spawn(ref, argv, o = {}) {
      const child = spawn('ip', ['netns', 'exec', nsName(ref), ...argv], {stdio: ['ignore', 'pipe', 'pipe'], ...o})
      children.add(child)
      child.on('exit', () => children.delete(child))
      return child
    },
    addHost,
    addNamespace,
    async linkNamespaces(a, b, addrA, addrB, o = {}) {
      const nsA = nsName(a)
      const nsB = nsName(b)
      let cidrA = addrA
      let cidrB = addrB
      let subnet: string
      if (!cidrA || !cidrB) {
        const third = withLock(() => isolatedThird())
        cidrA = cidrA ?? `${third}.1/24`
        cidrB = cidrB ?? `${third}.2/24`
        subnet = `${third}.0/24`
      } else {
        subnet = cidrA
      }
      const [va, vb] = vethPair()
      ipSync(['link', 'add', va, 'type', 'veth', 'peer', 'name', vb])
      reg.links.push(va)
      save()
      ipSync(['link', 'set', va, 'netns', nsA])
      ipSync(['link', 'set', vb, 'netns', nsB])
      const ifA = o.ifA ?? nextIf(nsA)
      const ifB = o.ifB ?? nextIf(nsB)
      inNs(nsA, ['link', 'set', va, 'name', ifA])
      inNs(nsB, ['link', 'set', vb, 'name', ifB])
      inNs(nsA, ['addr', 'add', cidrA, 'brd', '+', 'dev', ifA])
      inNs(nsB, ['addr', 'add', cidrB, 'brd', '+', 'dev', ifB])
      inNs(nsA, ['link', 'set', ifA, 'up'])
      inNs(nsB, ['link', 'set', ifB, 'up'])
      return {
        a: {ns: nsA, ifname: ifA, ip: cidrA.split('/')[0]!, cidr: cidrA},
        b: {ns: nsB, ifname: ifB, ip: cidrB.split('/')[0]!, cidr: cidrB},
        subnet,
      }
    },
    async addRoute(ref, dest, via) {
      inNs(nsName(ref), ['route', 'add', dest, 'via', via])
    },
    async enableForwarding(ref) {
      await lab.exec(ref, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'])
    },
    async setLinkUp(ref, up, ifname) {
      const ns = nsName(ref)
      const name = ifname ?? hosts.find((h) => h.name === ns)?.ifname ?? 'eth0'
      inNs(ns, ['link', 'set', name, up ? 'up' : 'down'])
    },
    allocSubnet() {
      return `${withLock(() => isolatedThird())}.0/24`
    },
    killAll(ref) {
      killNs(nsName(ref))
    },
    async cleanup() {
      cleanupSync()
    },
  }

  try {
    const labels = typeof opts.hosts === 'number' ? Array.from({length: opts.hosts}, (_, i) => `h${i + 1}`) : (opts.hosts ?? [])
    for (const label of labels) await addHost(label)
  } catch (error) {
    cleanupSync()
    throw error
  }
  return lab
}

/** Can the root namespace open a TCP connection to ip:port? (a probe; no ping here) */
export async function tcpReachable(ip: string, port: number, timeoutMs = 1000): Promise<boolean> {
  const net = await import('node:net')
  return new Promise((resolve) => {
    const sock = net.connect({host: ip, port, timeout: timeoutMs})
    const done = (ok: boolean) => {
      sock.destroy()
      resolve(ok)
    }
    sock.once('connect', () => done(true))
    sock.once('timeout', () => done(false))
    sock.once('error', () => done(false))
  })
}
