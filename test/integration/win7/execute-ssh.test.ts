import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PartialFailure} from '../../../src/core/errors.js'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import {assessFleet} from '../../../src/win7/assess.js'
import {importCatalog} from '../../../src/win7/catalog.js'
import {executeStaging, powershellCommand} from '../../../src/win7/execute.js'
import {importInventory} from '../../../src/win7/inventory.js'
import {setMember} from '../../../src/win7/member.js'
import {orderForMember} from '../../../src/win7/order.js'
import {receivePc} from '../../../src/win7/receive.js'
import type {StagingStep} from '../../../src/win7/staging.js'
import {sqliteStore, tempDir, testContext} from '../../helpers/context.js'
import {createLab, type Lab} from '../../helpers/netns.js'
import {startSshd, type Sshd} from '../../helpers/sshd.js'
import {fleet, glpiCsv, lafiCatalogCsv} from '../../fixtures/win7/generate.js'
import {setLanguage} from '../../../src/core/i18n.js'

// messages are matched in English
setLanguage('en')

/**
 * `win7 stage --execute` runs the staging steps over SSH on the new PC (Windows OpenSSH).
 * A Windows PC cannot run on this test bed: the "PC" is a real OpenSSH sshd in a network
 * namespace, and each PowerShell step is replaced by a POSIX STAND-IN with the same step id
 * (winget → append the package id to a file; USMT LoadState → the migration store must
 * exist; answer-file removal → rm). The SSH path, the step runner, the recording of each
 * step's result and the resume are the real ones.
 */
describe('win7 stage --execute over SSH (sshd in a netns, POSIX stand-ins of the PowerShell steps)', () => {
  let lab: Lab
  let sshd: Sshd
  let s: Awaited<ReturnType<typeof sqliteStore>>
  const dir = tempDir('alpi-win7-exec-')
  let host: string
  const standIn = (step: StagingStep): string[] => {
    if (step.id === 'check-os') return ['uname', '-s']
    if (step.id.startsWith('winget-')) return ['sh', '-c', 'echo "$2" >> "$1/installed.txt"', 'sh', host, step.id]
    if (step.id === 'usmt-loadstate') return ['test', '-f', join(host, 'usmt', 'USMT.MIG')]
    if (step.id === 'remove-answer-file') return ['rm', '-f', join(host, 'unattend.xml')]
    throw new Error(`no stand-in for ${step.id}`)
  }

  beforeAll(async () => {
    lab = await createLab({hosts: ['newpc']})
    sshd = await startSshd(lab, 'newpc')
    host = lab.hostDir('newpc')
    mkdirSync(host, {recursive: true})
    writeFileSync(join(host, 'unattend.xml'), '<unattend/>')
    s = await sqliteStore()
    const ctx = testContext(s.store)
    const inv = join(dir.path, 'glpi.csv')
    writeFileSync(inv, glpiCsv(fleet([{entity: 'Mairie de Luxey', commune: 'Luxey', prefix: 'LUX'}], ['win7Tower'], 'LX')))
    const cat = join(dir.path, 'lafi.csv')
    writeFileSync(cat, lafiCatalogCsv())
    await importInventory(ctx, {file: inv})
    await importCatalog(ctx, {file: cat})
    await assessFleet(ctx)
    await orderForMember(ctx, {member: 'mairie-de-luxey', date: '2026-01-12', out: join(dir.path, 'cmd.csv')})
    await receivePc(ctx, {serial: 'NEWLX01', replaces: 'LX000001'})
    await setMember(ctx, 'mairie-de-luxey', {domain: 'luxey.local', software: ['Mozilla.Firefox.ESR', '7zip.7zip']})
    await trustHostKey(ctx, {host: sshd.ip, port: sshd.port, fingerprint: sshd.hostKeyFingerprint})
  })
  afterAll(async () => {
    await sshd?.stop()
    await lab?.cleanup()
    await s?.cleanup()
    dir.cleanup()
  })

  it('reports the failing step, blocks the next ones, records each result; a re-run resumes and stages the PC', async () => {
    const ssh = {host: sshd.ip, port: sshd.port, username: sshd.user, privateKeyPath: sshd.clientKeyPath}
    // Given no USMT migration store yet, when the steps run, then LoadState fails and the clean-up is blocked
    let err: unknown
    try {
      await executeStaging(testContext(s.store), {serial: 'NEWLX01', ssh, remoteCommand: standIn})
    } catch (error) {
      err = error
    }
    expect(err).toBeInstanceOf(PartialFailure)
    const steps1 = await s.store.db
      .selectFrom('win7_staging_steps')
      .selectAll()
      .where('serial', '=', 'NEWLX01')
      .orderBy('position')
      .execute()
    expect(steps1.map((x) => `${x.step}:${x.status}`)).toEqual([
      'check-os:ok',
      'winget-mozilla-firefox-esr:ok',
      'winget-7zip-7zip:ok',
      'usmt-loadstate:failed',
      'remove-answer-file:failed',
    ])
    // The store keeps the error code and the catalog message's key and parameters, never a sentence.
    expect(JSON.parse(steps1[3]!.detail!)).toMatchObject({
      error: 'WIN7_STEP_FAILED',
      message: {code: expect.stringMatching(/^stepFailed/), params: {step: 'usmt-loadstate', code: 1}},
    })
    expect(JSON.parse(steps1[4]!.detail!)).toEqual({
      error: 'WIN7_STEP_BLOCKED',
      message: {code: 'stepBlocked', params: {step: 'usmt-loadstate'}},
    })
    expect(existsSync(join(host, 'unattend.xml'))).toBe(true)
    expect((await s.store.db.selectFrom('win7_pcs').select('state').where('serial', '=', 'LX000001').executeTakeFirstOrThrow()).state).toBe(
      'received',
    )

    // When the migration store exists and the command is run again, then only the failed steps run
    mkdirSync(join(host, 'usmt'), {recursive: true})
    writeFileSync(join(host, 'usmt', 'USMT.MIG'), 'data')
    const r = await executeStaging(testContext(s.store), {serial: 'NEWLX01', ssh, remoteCommand: standIn})
    expect(r.staged).toBe(true)
    expect(r.steps.map((x) => `${x.step}:${x.status}`)).toEqual([
      'check-os:skipped',
      'winget-mozilla-firefox-esr:skipped',
      'winget-7zip-7zip:skipped',
      'usmt-loadstate:ok',
      'remove-answer-file:ok',
    ])
    // each winget stand-in ran once in all: the second run skipped them
    expect(readFileSync(join(host, 'installed.txt'), 'utf8').trim().split('\n')).toEqual(['winget-mozilla-firefox-esr', 'winget-7zip-7zip'])
    expect(existsSync(join(host, 'unattend.xml'))).toBe(false)
    const steps2 = await s.store.db
      .selectFrom('win7_staging_steps')
      .selectAll()
      .where('serial', '=', 'NEWLX01')
      .orderBy('position')
      .execute()
    expect(steps2.every((x) => x.status === 'ok')).toBe(true)
    expect((await s.store.db.selectFrom('win7_pcs').select('state').where('serial', '=', 'LX000001').executeTakeFirstOrThrow()).state).toBe(
      'staged',
    )
    const audit = await s.store.db
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('action', '=', 'stage-execute')
      .orderBy('seq')
      .execute()
    expect(audit.map((a) => a.result)).toEqual(['partial', 'ok'])
  }, 180_000)

  it('the real steps are PowerShell with -EncodedCommand (UTF-16LE base64, safe under cmd.exe or PowerShell)', () => {
    const argv = powershellCommand({id: 'x', title: 'x', powershell: "  winget install --id 'A.B' -e"})
    expect(argv.slice(0, 6)).toEqual(['powershell.exe', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand'])
    expect(argv[6]).toMatch(/^[A-Za-z0-9+/=]+$/)
    expect(Buffer.from(argv[6]!, 'base64').toString('utf16le')).toContain("winget install --id 'A.B' -e")
  })
})
