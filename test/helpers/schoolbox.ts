/**
 * Test bed for school filtering boxes (firewalls campaign). Each box is a network namespace
 * running OpenSSH sshd (management, reachable from the test process over the lab bridge) and,
 * once deployed, the debian-dnsmasq profile's real services: dnsmasq and nftables inside the
 * box namespace. Behind each box a "pupil" namespace sits on the school LAN; in front, an
 * "internet" namespace runs a DNS server (dnsmasq) answering the test domains.
 *
 *   internet (dns .2) ──wan0── box (eth0: management on the lab bridge) ──lan0── pupil (.50)
 *
 * Namespaces share the filesystem, so each box gets its own root folder: the profile's
 * `root` variable (and `pid_file`, `services: pidfile`) point there. `overrides()` gives the
 * school overrides that make the profile run in this bed.
 *
 * `full` (default: all) boxes get the pupil and internet namespaces; the others (fleet tests)
 * are sshd plus a `lan0` interface with nothing behind it, where the profile's dnsmasq and nft still run.
 */
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {createLab, type Lab} from './netns.js'
import {startSshd, type Sshd} from './sshd.js'

/** What the internet namespace's DNS answers (documentation addresses, never routed). */
export const INTERNET_ANSWERS: Record<string, string> = {
  'allowed.test': '192.0.2.10',
  'school-site.test': '192.0.2.11',
  'casino.test': '192.0.2.66',
  'adult.test': '192.0.2.67',
  'dns.google': '192.0.2.53',
}

export interface SchoolBox {
  label: string
  /** The namespace name of the box. */
  ns: string
  sshd: Sshd
  /** The box's folder standing for "/" on the box. */
  root: string
  lanCidr: string
  lanGateway: string
  dhcpStart: string
  dhcpEnd: string
  /** The pupil namespace and its address (undefined for sshd-only boxes). */
  pupil?: string
  pupilIp?: string
  /** The internet DNS server's address as the box sees it. */
  internetDns?: string
  /** Overrides (vars) for the debian-dnsmasq profile in this bed. */
  overrides(extra?: Record<string, unknown>): Record<string, unknown>
}

export interface SchoolBed {
  lab: Lab
  boxes: SchoolBox[]
  /** dig from the pupil's seat: the A answers (empty = NXDOMAIN/no answer), or 'unreachable'. */
  digFromPupil(box: SchoolBox, name: string, server: string): Promise<{status: string; answers: string[]}>
  cleanup(): Promise<void>
}

export async function createSchoolBed(opts: {boxes: number; full?: number; rollbackSeconds?: number} = {boxes: 1}): Promise<SchoolBed> {
  const lab = await createLab()
  const full = opts.full ?? opts.boxes
  const boxes: SchoolBox[] = []
  try {
    let inetNs: string | undefined
    for (let i = 1; i <= opts.boxes; i++) {
      const label = `box${i}`
      const host = await lab.addHost(label)
      const sshd = await startSshd(lab, host)
      const root = join(lab.hostDir(label), 'root')
      mkdirSync(root, {recursive: true})
      const lanThird = lab.allocSubnet().replace(/\.0\/24$/, '')
      let pupil: string | undefined
      let pupilIp: string | undefined
      let internetDns: string | undefined
      if (i <= full) {
        pupil = await lab.addNamespace(`pupil${i}`)
        await lab.linkNamespaces(label, pupil, `${lanThird}.1/24`, `${lanThird}.50/24`, {ifA: 'lan0', ifB: 'eth0'})
        pupilIp = `${lanThird}.50`
        await lab.addRoute(pupil, 'default', `${lanThird}.1`)
        await lab.enableForwarding(label)
        inetNs ??= await lab.addNamespace('inet')
        const wan = await lab.linkNamespaces(label, inetNs, undefined, undefined, {ifA: 'wan0', ifB: `eth${i}`})
        internetDns = wan.b.ip
        // The internet's DNS server for the test domains, one per box link (its own address).
        const dir = join(lab.dir, `inet-dns-${i}`)
        mkdirSync(dir, {recursive: true})
        const child = lab.spawn(inetNs, [
          'dnsmasq',
          '--keep-in-foreground',
          '--conf-file=/dev/null',
          '--no-resolv',
          '--no-hosts',
          '--bind-interfaces',
          `--listen-address=${internetDns}`,
          `--pid-file=${join(dir, 'pid')}`,
          '--user=root',
          ...Object.entries(INTERNET_ANSWERS).map(([d, ip]) => `--address=/${d}/${ip}`),
        ])
        child.stderr?.on('data', () => undefined)
        await waitDns(lab, inetNs, internetDns)
      } else {
        // sshd-only box: a LAN interface with no one behind it (a veth pair kept inside the
        // box; no dummy module here) so the profile's dnsmasq and nft still run for real.
        await lab.exec(label, ['ip', 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'lan0p'])
        await lab.exec(label, ['ip', 'addr', 'add', `${lanThird}.1/24`, 'brd', '+', 'dev', 'lan0'])
        await lab.exec(label, ['ip', 'link', 'set', 'lan0p', 'up'])
        await lab.exec(label, ['ip', 'link', 'set', 'lan0', 'up'])
      }
      const lanGateway = `${lanThird}.1`
      boxes.push({
        label,
        ns: host.name,
        sshd,
        root,
        lanCidr: `${lanThird}.0/24`,
        lanGateway,
        dhcpStart: `${lanThird}.100`,
        dhcpEnd: `${lanThird}.199`,
        pupil,
        pupilIp,
        internetDns,
        overrides: (extra = {}) => ({
          managementCidr: lab.subnet,
          ...(internetDns ? {upstreamDns: [internetDns]} : {}),
          ...extra,
          vars: {
            root,
            services: 'pidfile',
            pid_file: `${root}/run/dnsmasq.pid`,
            lan_if: 'lan0',
            wan_if: 'wan0',
            rollback_seconds: String(opts.rollbackSeconds ?? 8),
            ...((extra.vars as Record<string, string>) ?? {}),
          },
        }),
      })
    }
  } catch (error) {
    await lab.cleanup()
    throw error
  }
  return {
    lab,
    boxes,
    async digFromPupil(box, name, server) {
      if (!box.pupil) throw new Error(`${box.label} has no pupil namespace`)
      const r = await lab.exec(box.pupil, ['dig', '+time=2', '+tries=1', '+noall', '+answer', '+comments', `@${server}`, name, 'A'], {
        allowFailure: true,
      })
      if (r.code !== 0) return {status: 'unreachable', answers: []}
      const status = /status: (\w+)/.exec(r.stdout)?.[1] ?? 'unknown'
      const answers = r.stdout
        .split('\n')
        .filter((l) => l && !l.startsWith(';'))
        .map((l) => l.trim().split(/\s+/).at(-1)!)
        .filter(Boolean)
      return {status, answers}
    },
    cleanup: () => lab.cleanup(),
  }
}

async function waitDns(lab: Lab, ns: string, ip: string) {
  for (let i = 0; i < 50; i++) {
    const r = await lab.exec(ns, ['dig', '+time=1', '+tries=1', '+short', `@${ip}`, 'allowed.test'], {allowFailure: true})
    if (r.code === 0 && r.stdout.trim()) return
    await new Promise((res) => setTimeout(res, 100))
  }
  throw new Error(`internet DNS on ${ip} did not answer`)
}
