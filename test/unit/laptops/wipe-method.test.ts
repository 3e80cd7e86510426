import {describe, expect, it} from 'vitest'
import {chooseMethod, parseHdparmSecurity, parseNvmeIdCtrl} from '../../../src/laptops/wipe-method.js'

// No NVMe or ATA disk exists on the test machine: the firmware paths are checked here by
// their choice and the exact command lines; the overwrite path runs on loop devices.
const HDPARM = `
/dev/sda:

ATA device, with non-removable media
	Model Number:       SAMSUNG MZ7LN256HAJQ-000L7
	Serial Number:      S3TWNX0K812345
Commands/features:
	Enabled	Supported:
	   *	SMART feature set
Security: 
	Master password revision code = 65534
		supported
	not	enabled
	not	locked
	%FROZEN%
	not	expired: security count
		supported: enhanced erase
	2min for SECURITY ERASE UNIT. 2min for ENHANCED SECURITY ERASE UNIT.
Logical Unit WWN Device Identifier: 5002538d00000000
`
const hd = (frozen: boolean) => HDPARM.replace('%FROZEN%', frozen ? '\tfrozen' : 'not\tfrozen')
const nvmeDev = {path: '/dev/nvme0n1', name: 'nvme0n1', type: 'disk', transport: 'nvme'}
const sataDev = {path: '/dev/sda', name: 'sda', type: 'disk', transport: 'sata'}

describe('wipe method choice (NIST SP 800-88 Rev. 2)', () => {
  it('parses nvme id-ctrl sanicap/fna and hdparm -I security', () => {
    expect(parseNvmeIdCtrl('{"vid":5197,"sanicap":3,"fna":4}')).toEqual({sanitizeCrypto: true, sanitizeBlock: true, formatCrypto: true})
    expect(parseNvmeIdCtrl('{"sanicap":0,"fna":0}')).toEqual({sanitizeCrypto: false, sanitizeBlock: false, formatCrypto: false})
    expect(parseHdparmSecurity(hd(false))).toEqual({securitySupported: true, frozen: false, enhanced: true, enabled: false})
    expect(parseHdparmSecurity(hd(true)).frozen).toBe(true)
  })

  it('NVMe: sanitize crypto > sanitize block > format crypto > format user data', () => {
    expect(chooseMethod(nvmeDev, {nvme: {sanitizeCrypto: true, sanitizeBlock: true, formatCrypto: true}})).toMatchObject({
      method: 'nvme-sanitize-crypto',
      level: 'Purge',
      commands: [
        ['nvme', 'sanitize', '/dev/nvme0n1', '--sanact=4'],
        ['nvme', 'sanitize-log', '/dev/nvme0n1', '-o', 'json'],
      ],
    })
    expect(chooseMethod(nvmeDev, {nvme: {sanitizeCrypto: false, sanitizeBlock: true, formatCrypto: true}})).toMatchObject({
      method: 'nvme-sanitize-block',
      level: 'Purge',
      commands: [['nvme', 'sanitize', '/dev/nvme0n1', '--sanact=2'], expect.anything()],
    })
    expect(chooseMethod(nvmeDev, {nvme: {sanitizeCrypto: false, sanitizeBlock: false, formatCrypto: true}})).toMatchObject({
      method: 'nvme-format-crypto',
      level: 'Purge',
      commands: [['nvme', 'format', '/dev/nvme0n1', '--ses=2', '--force']],
    })
    expect(chooseMethod(nvmeDev, {nvme: {sanitizeCrypto: false, sanitizeBlock: false, formatCrypto: false}})).toMatchObject({
      method: 'nvme-format-user-data',
      level: 'Clear',
    })
    expect(chooseMethod(nvmeDev, {})).toMatchObject({method: 'overwrite', level: 'Clear'})
  })

  it('ATA: enhanced security erase when not frozen, overwrite when frozen or password set', () => {
    expect(chooseMethod(sataDev, {ata: parseHdparmSecurity(hd(false))})).toEqual({
      method: 'ata-secure-erase-enhanced',
      level: 'Purge',
      tool: 'hdparm',
      reason: 'ataEnhanced',
      why: expect.any(String),
      commands: [
        ['hdparm', '--user-master', 'u', '--security-set-pass', 'alpi-wipe', '/dev/sda'],
        ['hdparm', '--user-master', 'u', '--security-erase-enhanced', 'alpi-wipe', '/dev/sda'],
      ],
    })
    expect(chooseMethod(sataDev, {ata: {securitySupported: true, frozen: false, enhanced: false, enabled: false}})).toMatchObject({
      method: 'ata-secure-erase',
      level: 'Clear',
      commands: [expect.anything(), ['hdparm', '--user-master', 'u', '--security-erase', 'alpi-wipe', '/dev/sda']],
    })
    expect(chooseMethod(sataDev, {ata: parseHdparmSecurity(hd(true))})).toMatchObject({
      method: 'overwrite',
      level: 'Clear',
      why: expect.stringMatching(/frozen/),
    })
    expect(chooseMethod(sataDev, {ata: {securitySupported: true, frozen: false, enhanced: true, enabled: true}})).toMatchObject({
      method: 'overwrite',
      why: expect.stringMatching(/password/),
    })
  })

  it('loop devices and --method overwrite always overwrite', () => {
    expect(chooseMethod({path: '/dev/loop3', name: 'loop3', type: 'loop', transport: null}, {})).toMatchObject({
      method: 'overwrite',
      level: 'Clear',
      tool: 'alpi',
    })
    expect(chooseMethod(nvmeDev, {nvme: {sanitizeCrypto: true, sanitizeBlock: true, formatCrypto: true}}, 'overwrite').method).toBe(
      'overwrite',
    )
  })

  it('gives its reason in both languages; the certificate takes the French one', async () => {
    const {methodReason} = await import('../../../src/laptops/wipe-method.js')
    const m = chooseMethod(sataDev, {ata: {securitySupported: true, frozen: true, enhanced: true, enabled: false}})
    expect(m.reason).toBe('ataFrozen')
    expect(methodReason(m.reason, {}, 'fr')).toMatch(/gelée/)
    expect(methodReason(m.reason, {}, 'en')).toMatch(/frozen/)
  })
})
