import {describe, expect, it} from 'vitest'
import {RuleViolation, UsageError} from '../../../src/core/errors.js'
import {computerName, memberProfile} from '../../../src/win7/profile.js'
import {stagingSteps, usmtCommands} from '../../../src/win7/staging.js'
import type {Win7MembersTable} from '../../../src/win7/tables.js'

const member: Win7MembersTable = {
  code: 'mairie-d-aire-adour',
  name: "Mairie d'Aire & <Adour>",
  commune: null,
  naming_rule: null,
  domain: 'aire.local',
  ou: null,
  join_account: null,
  software: null,
  usmt_store: null,
  created_at: '',
  updated_at: '',
}

describe('computer names by the member naming rule', () => {
  it.each([
    ['{code:6}-{serial:6}', 'MAIRIE-345678'],
    ['AIR-{serial:8}', 'AIR-12345678'],
    ['{site:3}{serial:4}', 'ACC5678'],
    ['é{code:3}_{serial:2}', 'MAI78'],
  ])('%s → %s', (rule, expected) => {
    expect(computerName(rule, {code: member.code, site: 'Accueil', serial: 'SN12345678'})).toBe(expected)
  })

  it.each([['{code}-{serial}'], ['{serial:6}'], ['---']])('refuses %s (longer than 15, only digits, or empty)', (rule) => {
    expect(() => computerName(rule, {code: member.code, serial: '123456789012'})).toThrow(RuleViolation)
  })
})

describe('member profile and staging command lines (shell metacharacters)', () => {
  it('uses the config section defaults under the member settings', () => {
    const p = memberProfile({win7: {joinAccount: 'svc-join', software: ['7zip.7zip']}}, member)
    expect(p).toMatchObject({domain: 'aire.local', joinAccount: 'svc-join', software: ['7zip.7zip'], namingRule: '{code:6}-{serial:6}'})
    expect(() => memberProfile({}, {...member, domain: null})).toThrow(/No AD domain/)
    expect(() => memberProfile({}, {...member, domain: 'x.local & calc'})).toThrow(UsageError)
    expect(() => memberProfile({win7: {joinAccount: 'svc" & del'}}, member)).toThrow(/not an account name/)
  })

  it('refuses a user login or a store path that a command line cannot carry', () => {
    const p = memberProfile({}, member)
    expect(() => usmtCommands(p, {serial: 'OLD1', user_login: "agent'; rm -rf /"})).toThrow(RuleViolation)
    expect(() => usmtCommands({...p, usmtStore: '\\\\srv\\usmt" & calc'}, {serial: 'OLD1', user_login: 'agent1'})).toThrow(UsageError)
    expect(() => stagingSteps({...p, software: ["Evil'; Remove-Item C:\\"]}, {loadstate: ['x']})).toThrow(/not a winget package id/)
  })

  it('quotes every PowerShell argument as a literal, and migrates every user when the user is unknown', () => {
    const p = memberProfile({}, member)
    const all = usmtCommands(p, {serial: 'OLD1', user_login: null})
    expect(all.loadstate).not.toContain('/ue:*')
    const one = usmtCommands({...p, usmtStore: '\\\\srv\\usmt$\\Postes Aire'}, {serial: 'OLD1', user_login: 'agent1'})
    const step = stagingSteps(p, one).find((s) => s.id === 'usmt-loadstate')!
    expect(step.powershell).toContain("'\\\\srv\\usmt$\\Postes Aire\\OLD1'")
    expect(step.powershell).toContain("'/ui:aire.local\\agent1'")
  })
})
