// firewalls deploy benchmark (not a test): the same change pushed to N namespace boxes
// (sshd + the debian-dnsmasq profile's real dnsmasq and nft, see test/helpers/schoolbox.ts)
// by alpi (the binary: `firewalls deploy --all --force`), by ansible-playbook (Debian's
// package, forks N) and by parallel-ssh (pssh). Same box-side steps for all three: upload
// the 5 rendered files + config.sha256 to the staging folder, validate, apply (box rollback
// timer), then on a new connection check and confirm. Prints wall times and ratios.
//   npx tsx bench/firewalls-deploy.ts [boxes=50]     (root; needs a built dist/: npm run build)
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import type {ServiceContext} from '../src/context/service-context.js'
import {memoryOutput} from '../src/core/output.js'
import {SchoolSchema} from '../src/firewalls/model.js'
import {planSchools} from '../src/firewalls/plan.js'
import {upsertSchools} from '../src/firewalls/schools.js'
import {trustHostKey} from '../src/remote/host-keys.js'
import {openStore} from '../src/store/db.js'
import {validUai} from '../test/fixtures/firewalls/schools.js'
import {createSchoolBed} from '../test/helpers/schoolbox.js'

const n = Number(process.argv[2] ?? 50)
const root = resolve('.')
const dir = mkdtempSync(join(tmpdir(), 'alpi-bench-fw-'))
const db = join(dir, 'alpi.sqlite')
console.error(`building ${n} boxes...`)
// A confirm window long enough for every tool (ansible at 50 forks needs minutes on a small machine).
const bed = await createSchoolBed({boxes: n, full: 0, rollbackSeconds: 1800})
try {
  const store = await openStore({url: db})
  const ctx: ServiceContext = {
    store,
    actor: 'bench',
    command: 'bench',
    out: memoryOutput(),
    config: {},
    templatesDir: join(root, 'templates'),
    signal: new AbortController().signal,
    interactive: false,
    yes: false,
  }
  const schools = bed.boxes.map((box, i) =>
    SchoolSchema.parse({
      uai: validUai(500 + i),
      name: `École ${i}`,
      communeInsee: '40192',
      authorityKind: 'commune',
      authorityName: 'Bench',
      wanMode: 'dhcp',
      lanCidr: box.lanCidr,
      lanGateway: box.lanGateway,
      dhcpStart: box.dhcpStart,
      dhcpEnd: box.dhcpEnd,
      mgmtHost: box.sshd.ip,
      mgmtUser: 'root',
      overrides: box.overrides({blockDomains: ['casino.test']}),
    }),
  )
  await store.transaction((trx) => upsertSchools(trx, schools))
  for (const box of bed.boxes) await trustHostKey(ctx, {host: box.sshd.ip, port: box.sshd.port, publicKey: box.sshd.hostKeyPub})
  const planned = await planSchools(ctx)
  await store.close()
  const key = bed.boxes[0]!.sshd.clientKeyPath
  const knownHosts = join(dir, 'known_hosts')
  writeFileSync(knownHosts, bed.boxes.map((b) => b.sshd.knownHostsLine).join('\n') + '\n')

  // The rendered files per box, for ansible (per-host folders) and pssh (a tar keyed by address).
  const files = join(dir, 'files')
  const map = join(dir, 'map')
  mkdirSync(map)
  const boxes = planned.map((p, i) => ({box: bed.boxes[i]!, cfg: p.config!}))
  for (const {box, cfg} of boxes) {
    const d = join(files, box.label)
    mkdirSync(d, {recursive: true})
    for (const f of cfg.files) writeFileSync(join(d, f.name), f.content, {mode: Number.parseInt(f.mode, 8)})
    writeFileSync(join(d, 'config.sha256'), cfg.hash + '\n')
    mkdirSync(join(dir, 'bytip', box.sshd.ip), {recursive: true})
    for (const f of [...cfg.files.map((x) => x.name), 'config.sha256'])
      writeFileSync(join(dir, 'bytip', box.sshd.ip, f), readFileSync(join(d, f)))
    writeFileSync(join(map, box.sshd.ip), `${cfg.staging} ${cfg.vars.root}\n`)
  }
  const applied = () =>
    boxes.filter(({box, cfg}) => {
      try {
        return readFileSync(join(box.root, 'var/lib/alpi/applied'), 'utf8').trim() === cfg.hash
      } catch {
        return false
      }
    }).length
  const reset = () => boxes.forEach(({box}) => rmSync(join(box.root, 'var/lib/alpi/applied'), {force: true}))
  const time = (name: string, argv: string[], opts: {input?: Buffer; env?: NodeJS.ProcessEnv} = {}) => {
    reset()
    const t0 = process.hrtime.bigint()
    const r = spawnSync(argv[0]!, argv.slice(1), {input: opts.input, env: {...process.env, ...opts.env}, maxBuffer: 256 * 1024 * 1024})
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    const ok = applied()
    if (r.status !== 0 || ok !== n)
      console.error(`${name}: exit ${r.status}, ${ok}/${n} applied\n${String(r.stderr).slice(-2000)}\n${String(r.stdout).slice(-2000)}`)
    return {ms, ok}
  }

  // alpi: the binary, one command.
  const alpi = time(
    'alpi',
    [
      process.execPath,
      join(root, 'bin/run.js'),
      'firewalls',
      'deploy',
      '--all',
      '--force',
      '--yes',
      '--concurrency',
      String(n),
      '--retries',
      '0',
      '--identity',
      key,
      '--db',
      db,
    ],
    {env: {ALPI_CONFIG: join(dir, 'none.json'), NO_COLOR: '1'}},
  )

  // ansible-playbook, forks N: copy the folder, validate, apply, new connection, check, confirm.
  writeFileSync(
    join(dir, 'inventory.ini'),
    [
      '[boxes]',
      ...boxes.map(({box, cfg}) => `${box.label} ansible_host=${box.sshd.ip} staging=${cfg.staging} boxroot=${cfg.vars.root}`),
      '',
      '[boxes:vars]',
      'ansible_user=root',
      `ansible_ssh_private_key_file=${key}`,
      `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes'`,
      'ansible_python_interpreter=/usr/bin/python3',
      '',
    ].join('\n'),
  )
  writeFileSync(
    join(dir, 'deploy.yml'),
    `- hosts: boxes
  gather_facts: false
  tasks:
    - ansible.builtin.command: mkdir -p {{ staging }}
    - ansible.builtin.copy:
        src: ${files}/{{ inventory_hostname }}/
        dest: "{{ staging }}/"
    - ansible.builtin.command: sh {{ staging }}/alpi-box validate {{ staging }}
    - ansible.builtin.command: sh {{ staging }}/alpi-box apply {{ staging }} 1800
    - ansible.builtin.meta: reset_connection
    - ansible.builtin.command: sh {{ boxroot }}/var/lib/alpi/alpi-box check
    - ansible.builtin.command: sh {{ boxroot }}/var/lib/alpi/alpi-box confirm
`,
  )
  const ansible = time(
    'ansible-playbook',
    ['ansible-playbook', '-i', join(dir, 'inventory.ini'), '-f', String(n), join(dir, 'deploy.yml')],
    {env: {ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_NOCOLOR: '1'}},
  )

  // parallel-ssh: a tar of every box's files on stdin (each box keeps its own), validate+apply, then check+confirm.
  writeFileSync(join(dir, 'hosts'), boxes.map(({box}) => box.sshd.ip).join('\n') + '\n')
  const tar = spawnSync('tar', ['-cf', '-', '-C', join(dir, 'bytip'), '.']).stdout
  const psshArgs = [
    '-h',
    join(dir, 'hosts'),
    '-p',
    String(n),
    '-l',
    'root',
    '-t',
    '120',
    '-x',
    `-i ${key} -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes`,
  ]
  // Each box finds its own entry by its management address (hostname -I lists this namespace's addresses).
  const who = `for a in $(hostname -I); do [ -f ${map}/$a ] && ip=$a; done; read s r < ${map}/$ip`
  reset()
  const p0 = process.hrtime.bigint()
  const statuses = [
    spawnSync('parallel-ssh', [...psshArgs, '-I', `${who}; mkdir -p "$s" && tar -xf - -C "$s" --strip-components=2 ./$ip`], {input: tar}),
    spawnSync('parallel-ssh', [...psshArgs, `${who}; sh "$s/alpi-box" validate "$s" && sh "$s/alpi-box" apply "$s" 1800`]),
    spawnSync('parallel-ssh', [...psshArgs, `${who}; sh "$r/var/lib/alpi/alpi-box" check && sh "$r/var/lib/alpi/alpi-box" confirm`]),
  ].map((x) => x.status)
  const psshMs = Number(process.hrtime.bigint() - p0) / 1e6
  const psshOk = applied()
  if (statuses.some((s) => s !== 0) || psshOk !== n) console.error(`parallel-ssh: exits ${statuses.join(',')}, ${psshOk}/${n} applied`)

  console.log(`${n} boxes, same change (upload 6 files, validate, apply with rollback timer, new connection, check, confirm)`)
  const line = (name: string, ms: number, ok: number) =>
    console.log(
      `${name.padEnd(22)} ${(ms / 1000).toFixed(1).padStart(7)} s  ${ok}/${n} applied  ${(ms / alpi.ms).toFixed(2).padStart(6)}× alpi`,
    )
  line('alpi firewalls deploy', alpi.ms, alpi.ok)
  line(`ansible-playbook -f ${n}`, ansible.ms, ansible.ok)
  line(`parallel-ssh -p ${n}`, psshMs, psshOk)
} finally {
  await bed.cleanup()
  rmSync(dir, {recursive: true, force: true})
}
