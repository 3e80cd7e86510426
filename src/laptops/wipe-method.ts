import {defineMessages} from '../core/i18n.js'
import type {BlockDevice} from './devices.js'

/**
 * Sanitisation method per device, after NIST SP 800-88 Rev. 2 (which points to IEEE 2883 for
 * the techniques): firmware Purge where the device offers it, else an overwrite (Clear)
 * with verification. Pure: capabilities in, method and the exact command lines out.
 */
export type WipeMethod =
  | 'nvme-sanitize-crypto'
  | 'nvme-sanitize-block'
  | 'nvme-format-crypto'
  | 'nvme-format-user-data'
  | 'ata-secure-erase-enhanced'
  | 'ata-secure-erase'
  | 'overwrite'
export type SanitizeLevel = 'Clear' | 'Purge'

export interface NvmeCaps {
  /** sanicap bit 0 */
  sanitizeCrypto: boolean
  /** sanicap bit 1 */
  sanitizeBlock: boolean
  /** fna bit 2: crypto erase through Format NVM */
  formatCrypto: boolean
}

export interface AtaCaps {
  securitySupported: boolean
  frozen: boolean
  enhanced: boolean
  enabled: boolean
}

export interface MethodChoice {
  method: WipeMethod
  level: SanitizeLevel
  tool: 'nvme-cli' | 'hdparm' | 'alpi'
  /** the command lines, in order (argument arrays, no shell) */
  commands: string[][]
  /** why this method and not a stronger one (the key of the reasons catalog) */
  reason: MethodReason
  /** the reason in the current language */
  why: string
}

/** Why a method was chosen, in both languages: the certificate (a French document) needs the French one. */
const REASONS = {
  en: {
    asked: 'overwrite asked with --method overwrite',
    loop: 'loop device (a file): only an overwrite applies',
    nvmeSanitizeCrypto: 'NVMe sanitize, cryptographic erase (whole device, all namespaces)',
    nvmeSanitizeBlock: 'NVMe sanitize, block erase (no crypto erase offered)',
    nvmeFormatCrypto: 'NVMe Format NVM with cryptographic erase (no sanitize command)',
    nvmeFormatUserData: 'NVMe Format NVM, user data erase only: Clear',
    ataFrozen: 'ATA security is frozen (suspend/resume the laptop to unfreeze it, then retry for a Purge)',
    ataPassword: 'an ATA password is already set on the disk: not touching it',
    ataEnhanced: 'ATA enhanced security erase, not frozen',
    ataNormal: 'ATA security erase (no enhanced erase): Clear',
    nvmeUnknown: 'NVMe capabilities unknown (nvme-cli missing or failed)',
    noAta: 'no ATA security feature set',
  },
  fr: {
    asked: 'écrasement demandé par le technicien (option --method)',
    loop: "périphérique loop (un fichier) : seul l'écrasement s'applique",
    nvmeSanitizeCrypto: 'NVMe sanitize, effacement cryptographique (tout le disque, tous les espaces de noms)',
    nvmeSanitizeBlock: "NVMe sanitize, effacement des blocs (pas d'effacement cryptographique proposé)",
    nvmeFormatCrypto: 'NVMe Format NVM avec effacement cryptographique (pas de commande sanitize)',
    nvmeFormatUserData: 'NVMe Format NVM, effacement des données utilisateur seulement : Clear',
    ataFrozen: "sécurité ATA gelée (mettre l'ordinateur en veille puis le réveiller pour la dégeler, et recommencer pour un Purge)",
    ataPassword: "un mot de passe ATA est déjà posé sur le disque : on n'y touche pas",
    ataEnhanced: 'effacement sécurisé ATA renforcé, sécurité non gelée',
    ataNormal: "effacement sécurisé ATA (pas d'effacement renforcé) : Clear",
    nvmeUnknown: 'capacités NVMe inconnues (nvme-cli absent ou en échec)',
    noAta: 'pas de jeu de fonctions de sécurité ATA',
  },
}
export type MethodReason = keyof typeof REASONS.en

/** Each method's name on the certificate, a French document. */
export const METHOD_NAMES_FR: Record<WipeMethod, string> = {
  'nvme-sanitize-crypto': 'NVMe Sanitize, effacement cryptographique',
  'nvme-sanitize-block': 'NVMe Sanitize, effacement des blocs',
  'nvme-format-crypto': 'NVMe Format NVM, effacement cryptographique',
  'nvme-format-user-data': 'NVMe Format NVM, effacement des données utilisateur',
  'ata-secure-erase-enhanced': 'effacement sécurisé ATA renforcé',
  'ata-secure-erase': 'effacement sécurisé ATA',
  overwrite: 'écrasement de tout le disque par des zéros',
}
export const methodReason = defineMessages(REASONS)

/** `nvme id-ctrl DEV -o json` → capabilities. */
export function parseNvmeIdCtrl(json: string): NvmeCaps {
  const d = JSON.parse(json) as {sanicap?: number; fna?: number}
  const sanicap = Number(d.sanicap ?? 0)
  const fna = Number(d.fna ?? 0)
  return {sanitizeCrypto: (sanicap & 1) !== 0, sanitizeBlock: (sanicap & 2) !== 0, formatCrypto: (fna & 4) !== 0}
}

/** `hdparm -I DEV` → the Security section's flags. */
export function parseHdparmSecurity(text: string): AtaCaps {
  const sec = text.split(/\n(?=\S)/).find((block) => /^Security:/.test(block)) ?? ''
  return {
    securitySupported: /^\t+supported\s*$/m.test(sec),
    frozen: /^\t+frozen\s*$/m.test(sec),
    enhanced: /supported: enhanced erase/.test(sec),
    enabled: /^\t+enabled\s*$/m.test(sec),
  }
}

/** A throwaway ATA user password, set just before the erase (the erase clears it). */
export const ATA_TEMP_PASSWORD = 'alpi-wipe'

export function chooseMethod(
  dev: Pick<BlockDevice, 'path' | 'type' | 'transport' | 'name'>,
  caps: {nvme?: NvmeCaps; ata?: AtaCaps},
  requested?: 'overwrite',
): MethodChoice {
  const because = (reason: MethodReason) => ({reason, why: methodReason(reason)})
  const overwrite = (reason: MethodReason): MethodChoice => ({
    method: 'overwrite',
    level: 'Clear',
    tool: 'alpi',
    commands: [],
    ...because(reason),
  })
  if (requested === 'overwrite') return overwrite('asked')
  if (dev.type === 'loop') return overwrite('loop')
  const isNvme = dev.transport === 'nvme' || /^nvme\d+n\d+$/.test(dev.name)
  if (isNvme && caps.nvme) {
    const n = caps.nvme
    if (n.sanitizeCrypto)
      return {
        method: 'nvme-sanitize-crypto',
        level: 'Purge',
        tool: 'nvme-cli',
        commands: [
          ['nvme', 'sanitize', dev.path, '--sanact=4'],
          ['nvme', 'sanitize-log', dev.path, '-o', 'json'],
        ],
        ...because('nvmeSanitizeCrypto'),
      }
    if (n.sanitizeBlock)
      return {
        method: 'nvme-sanitize-block',
        level: 'Purge',
        tool: 'nvme-cli',
        commands: [
          ['nvme', 'sanitize', dev.path, '--sanact=2'],
          ['nvme', 'sanitize-log', dev.path, '-o', 'json'],
        ],
        ...because('nvmeSanitizeBlock'),
      }
    if (n.formatCrypto)
      return {
        method: 'nvme-format-crypto',
        level: 'Purge',
        tool: 'nvme-cli',
        commands: [['nvme', 'format', dev.path, '--ses=2', '--force']],
        ...because('nvmeFormatCrypto'),
      }
    return {
      method: 'nvme-format-user-data',
      level: 'Clear',
      tool: 'nvme-cli',
      commands: [['nvme', 'format', dev.path, '--ses=1', '--force']],
      ...because('nvmeFormatUserData'),
    }
  }
  if (!isNvme && caps.ata?.securitySupported) {
    const a = caps.ata
    if (a.frozen) return overwrite('ataFrozen')
    if (a.enabled) return overwrite('ataPassword')
    const flag = a.enhanced ? '--security-erase-enhanced' : '--security-erase'
    return {
      method: a.enhanced ? 'ata-secure-erase-enhanced' : 'ata-secure-erase',
      level: a.enhanced ? 'Purge' : 'Clear',
      tool: 'hdparm',
      commands: [
        ['hdparm', '--user-master', 'u', '--security-set-pass', ATA_TEMP_PASSWORD, dev.path],
        ['hdparm', '--user-master', 'u', flag, ATA_TEMP_PASSWORD, dev.path],
      ],
      ...because(a.enhanced ? 'ataEnhanced' : 'ataNormal'),
    }
  }
  return overwrite(isNvme ? 'nvmeUnknown' : 'noAta')
}
