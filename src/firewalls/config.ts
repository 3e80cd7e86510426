import {z} from 'zod'
import {defineConfigSection} from '../core/config.js'
import type {ServiceContext} from '../context/service-context.js'
import {AddressingConfigSchema, type AddressingConfig} from './addressing.js'
import {t} from './messages/index.js'

/** The `firewalls` section of the config file: boxes over SSH (deploy), verification, addressing of new schools. */
export const FirewallsConfigSchema = z
  .object({
    /** SSH user on the boxes when the register has none. */
    sshUser: z.string().default('root'),
    /** Private key file for the boxes (else the SSH agent). */
    identity: z.string().optional(),
    /** known_hosts files consulted after `alpi hosts` pins. */
    knownHosts: z.array(z.string()).default([]),
    concurrency: z.number().int().min(1).max(200).default(10),
    /** A list older than this is a failed check (UT1 changes daily). */
    listMaxAgeDays: z.number().int().min(1).default(35),
    /** Resolver outside the school used to test that DNS cannot bypass the box. */
    outsideDns: z.string().default('9.9.9.9'),
    /** A name that must resolve from every school. */
    allowedDomain: z.string().default('education.gouv.fr'),
    /** Verified less recently than this → "overdue" in the compliance report. */
    verifyEveryDays: z.number().int().min(1).default(90),
    /** Blocked names asked from the LAN per required category (spread over the category's list). */
    verifySamples: z.number().int().min(1).max(100).default(5),
    addressing: AddressingConfigSchema.default(AddressingConfigSchema.parse({})),
    /** The department whose schools a national-directory import keeps (Landes). */
    department: z
      .string()
      .trim()
      .regex(/^(\d{2,3}|2[AB])$/, {error: () => t('departmentCode')})
      .default('040'),
  })
  .loose()

export const firewallsConfig = defineConfigSection('firewalls', FirewallsConfigSchema)

/** What verify reads of the section. */
export function verifyConfig(ctx: Pick<ServiceContext, 'config'>) {
  return firewallsConfig.read(ctx.config)
}

/** `firewalls.addressing` and `firewalls.department` of the config, with their defaults. */
export function registerConfig(ctx: Pick<ServiceContext, 'config'>): {addressing: AddressingConfig; department: string} {
  const {addressing, department} = firewallsConfig.read(ctx.config)
  return {addressing, department}
}

export interface SshOptions {
  user?: string
  identity?: string
  agent?: boolean
  knownHostsFiles?: string[]
  connectTimeoutMs?: number
}

/** SSH options for the boxes: what the command gave, else the config's. */
export function sshOptionsFrom(ctx: Pick<ServiceContext, 'config'>, given: SshOptions = {}): SshOptions {
  const cfg = firewallsConfig.read(ctx.config)
  return {
    user: given.user ?? cfg.sshUser,
    identity: given.identity ?? cfg.identity,
    agent: given.agent,
    knownHostsFiles: given.knownHostsFiles ?? cfg.knownHosts,
    connectTimeoutMs: given.connectTimeoutMs,
  }
}
