import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runTool} from '../../../src/tools/exec.js'
import type {Store} from '../../../src/store/db.js'
import {assessFleet} from '../../../src/win7/assess.js'
import {importCatalog} from '../../../src/win7/catalog.js'
import {importInventory} from '../../../src/win7/inventory.js'
import {setMember} from '../../../src/win7/member.js'
import {orderForMember} from '../../../src/win7/order.js'
import {receivePc} from '../../../src/win7/receive.js'
import {renderStaging} from '../../../src/win7/staging.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'
import {fleet, glpiCsv, lafiCatalogCsv} from '../../fixtures/win7/generate.js'
import {setLanguage} from '../../../src/core/i18n.js'

const PASSWORD = 'J0in-S3cret<&>"\'!'
const MEMBER = 'mairie-d-aire-adour'

// messages are matched in English
setLanguage('en')

describe.each(DIALECTS)('win7 receive and stage (answer file, script) on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  const dir = tempDir('alpi-win7-stage-')
  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
    const inv = join(dir.path, 'glpi.csv')
    writeFileSync(
      inv,
      glpiCsv(fleet([{entity: "Mairie d'Aire & <Adour>", commune: "Aire-sur-l'Adour", prefix: 'AIR'}], ['win7Tower', 'win7Tower'], 'ST')),
    )
    const cat = join(dir.path, 'lafi.csv')
    writeFileSync(cat, lafiCatalogCsv())
    const ctx = testContext(store)
    await importInventory(ctx, {file: inv})
    await importCatalog(ctx, {file: cat})
    await assessFleet(ctx)
    await orderForMember(ctx, {member: MEMBER, date: '2026-01-12', out: join(dir.path, 'cmd.csv')})
  })
  afterAll(async () => {
    await cleanup?.()
    dir.cleanup()
  })

  it('refuses to stage before the PC is received, then receives it', async () => {
    const ctx = testContext(store)
    await expect(renderStaging(ctx, {serial: 'NEW0001', env: {ALPI_JOIN_PASSWORD: PASSWORD}})).rejects.toThrow(/No PC/)
    await expect(receivePc(ctx, {serial: 'NEW0001', replaces: 'NOPE'})).rejects.toThrow(/No PC/)
    const r = await receivePc(ctx, {serial: 'new0001', replaces: 'st000001'})
    expect(r).toMatchObject({serial: 'NEW0001', replaces: 'ST000001', state: 'received'})
    await expect(receivePc(ctx, {serial: 'NEW0001', replaces: 'ST000002'})).rejects.toThrow(/already recorded/)
    await expect(receivePc(ctx, {serial: 'Default string', replaces: 'ST000002'})).rejects.toThrow(/not a usable serial/)
  })

  it('renders a well-formed autounattend.xml (0600) with the expected elements and escaped names, and a PowerShell script', async () => {
    await setMember(testContext(store), MEMBER, {
      domain: 'mairie-aire.local',
      ou: 'OU=Postes,OU=Mairie & <Adour>,DC=mairie-aire,DC=local',
      namingRule: 'AIR-{serial:6}',
      software: ['Mozilla.Firefox.ESR', '7zip.7zip'],
    })
    const ctx = testContext(store)
    const pwFile = join(dir.path, 'join.pw')
    writeFileSync(pwFile, PASSWORD + '\n', {mode: 0o600})
    const pkg = await renderStaging(ctx, {serial: 'NEW0001', outDir: join(dir.path, 'pkg'), joinPasswordFile: pwFile, env: {}})
    expect(pkg.computerName).toBe('AIR-EW0001')
    expect(statSync(pkg.files.autounattend).mode & 0o777).toBe(0o600)
    expect(pkg.deleteAfterUse).toEqual([pkg.files.autounattend])
    // xmllint (libxml2-utils) is the real parser
    const lint = await runTool('xmllint', ['--noout', pkg.files.autounattend], {pkg: 'libxml2-utils', allowFailure: true})
    expect(lint.stderr).toBe('')
    expect(lint.exitCode).toBe(0)
    const xpath = async (expr: string) =>
      (await runTool('xmllint', ['--xpath', expr, pkg.files.autounattend], {pkg: 'libxml2-utils'})).stdout.trim()
    const el = (n: string) => `*[local-name()='${n}']`
    expect(await xpath(`string(//${el('ComputerName')})`)).toBe(pkg.computerName)
    expect(await xpath(`string((//${el('TimeZone')})[1])`)).toBe('Romance Standard Time')
    expect(await xpath(`string((//${el('UILanguage')})[1])`)).toBe('fr-FR')
    expect(await xpath(`string(//${el('JoinDomain')})`)).toBe('mairie-aire.local')
    expect(await xpath(`string(//${el('Credentials')}/${el('Username')})`)).toBe('svc-jonction')
    // special characters come back intact through the XML parser: escaped, not broken
    expect(await xpath(`string(//${el('RegisteredOrganization')})`)).toBe("Mairie d'Aire & <Adour>")
    expect(await xpath(`string(//${el('MachineObjectOU')})`)).toBe('OU=Postes,OU=Mairie & <Adour>,DC=mairie-aire,DC=local')
    expect(await xpath(`string(//${el('Credentials')}/${el('Password')})`)).toBe(PASSWORD)
    const raw = readFileSync(pkg.files.autounattend, 'utf8')
    expect(raw).toContain('Mairie d&apos;Aire &amp; &lt;Adour&gt;')

    const ps = readFileSync(pkg.files.script, 'utf8')
    expect(ps).not.toContain(PASSWORD)
    expect(ps).toContain("winget install --id 'Mozilla.Firefox.ESR' -e --silent")
    expect(ps).toContain("Invoke-AlpiStep 'usmt-loadstate'")
    expect(ps).toMatch(/'\/ui:mairie-aire\.local\\agent001'/)
    expect(pkg.steps.map((s) => s.id)).toEqual([
      'check-os',
      'winget-mozilla-firefox-esr',
      'winget-7zip-7zip',
      'usmt-loadstate',
      'remove-answer-file',
    ])
    expect(readFileSync(pkg.files.scanstate, 'utf8')).toContain(
      'scanstate.exe \\\\srv-alpi\\usmt$\\ST000001 /i:MigApp.xml /i:MigDocs.xml /ue:* /ui:mairie-aire.local\\agent001 /c /v:5 /o',
    )

    // the password is in no log line and no audit entry
    expect(ctx.out.lines.join('\n')).not.toContain(PASSWORD)
    const audit = await store.db.selectFrom('audit_log').selectAll().execute()
    expect(JSON.stringify(audit)).not.toContain(PASSWORD)
    const old = await store.db.selectFrom('win7_pcs').select('state').where('serial', '=', 'ST000001').executeTakeFirstOrThrow()
    expect(old.state).toBe('staged')
  })

  it('refuses without a join password and says how to give one', async () => {
    await receivePc(testContext(store), {serial: 'NEW0002', replaces: 'ST000002'})
    await expect(renderStaging(testContext(store), {serial: 'NEW0002', outDir: join(dir.path, 'pkg2'), env: {}})).rejects.toThrow(
      /No password/,
    )
  })

  it('refuses a naming rule that gives an invalid computer name', async () => {
    await expect(setMember(testContext(store), MEMBER, {namingRule: '{code}-{serial}-TOO-LONG'})).rejects.toThrow(/15 letters/)
  })
})
