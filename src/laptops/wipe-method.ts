import type {BlockDevice} from './devices.js'

/**
 * Sanitisation method per device, after NIST SP 800-88 Rev. 2 (which points to IEEE 2883 for
 * the techniques): firmware Purge where the device offers it, else an overwrite (Clear)
 * with verification. Pure: capabilities in, method and the exact command lines out.
 */
export type WipeMethod = 'nvme-sanitize-crypto' | 'nvme-sanitize-block' | 'nvme-format-crypto' | 'nvme-format-user-data' | 'ata-secure-erase-enhanced' | 'ata-secure-erase' | 'overwrite'
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
  /** why this method and not a stronger one */
  why: string
}

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

export function chooseMethod(dev: Pick<BlockDevice, 'path' | 'type' | 'transport' | 'name'>, caps: {nvme?: NvmeCaps; ata?: AtaCaps}, requested?: 'overwrite'): MethodChoice {
  const overwrite = (why: string): MethodChoice => ({method: 'overwrite', level: 'Clear', tool: 'alpi', commands: [], why})
  if (requested === 'overwrite') return overwrite('overwrite asked with --method overwrite')
  if (dev.type === 'loop') return overwrite('loop device (a file): only an overwrite applies')
  const isNvme = dev.transport === 'nvme' || /^nvme\d+n\d+$/.test(dev.name)
  if (isNvme && caps.nvme) {
    const n = caps.nvme
    if (n.sanitizeCrypto) return {method: 'nvme-sanitize-crypto', level: 'Purge', tool: 'nvme-cli', commands: [['nvme', 'sanitize', dev.path, '--sanact=4'], ['nvme', 'sanitize-log', dev.path, '-o', 'json']], why: 'NVMe sanitize, cryptographic erase (whole device, all namespaces)'}
    if (n.sanitizeBlock) return {method: 'nvme-sanitize-block', level: 'Purge', tool: 'nvme-cli', commands: [['nvme', 'sanitize', dev.path, '--sanact=2'], ['nvme', 'sanitize-log', dev.path, '-o', 'json']], why: 'NVMe sanitize, block erase (no crypto erase offered)'}
    if (n.formatCrypto) return {method: 'nvme-format-crypto', level: 'Purge', tool: 'nvme-cli', commands: [['nvme', 'format', dev.path, '--ses=2', '--force']], why: 'NVMe Format NVM with cryptographic erase (no sanitize command)'}
    return {method: 'nvme-format-user-data', level: 'Clear', tool: 'nvme-cli', commands: [['nvme', 'format', dev.path, '--ses=1', '--force']], why: 'NVMe Format NVM, user data erase only: Clear'}
  }
  if (!isNvme && caps.ata?.securitySupported) {
    const a = caps.ata
    if (a.frozen) return overwrite('ATA security is frozen (suspend/resume the laptop to unfreeze it, then retry for a Purge)')
    if (a.enabled) return overwrite('an ATA password is already set on the disk: not touching it')
    const flag = a.enhanced ? '--security-erase-enhanced' : '--security-erase'
    return {
      method: a.enhanced ? 'ata-secure-erase-enhanced' : 'ata-secure-erase',
      level: a.enhanced ? 'Purge' : 'Clear',
      tool: 'hdparm',
      commands: [['hdparm', '--user-master', 'u', '--security-set-pass', ATA_TEMP_PASSWORD, dev.path], ['hdparm', '--user-master', 'u', flag, ATA_TEMP_PASSWORD, dev.path]],
      why: a.enhanced ? 'ATA enhanced security erase, not frozen' : 'ATA security erase (no enhanced erase): Clear',
    }
  }
  return overwrite(isNvme ? 'NVMe capabilities unknown (nvme-cli missing or failed)' : 'no ATA security feature set')
}
