import {describe, expect, it} from 'vitest'
import {
  AddressingConfigSchema,
  allocateLans,
  authorityKindFromName,
  communeAuthority,
  deriveFromLan,
  PoolExhausted,
} from '../../../src/firewalls/addressing.js'
import {inDirectoryScope} from '../../../src/firewalls/register.js'

const rule = AddressingConfigSchema.parse({})

describe('ALPI addressing rule', () => {
  it('derives the box address and DHCP range from the LAN: .1 and .100-.199 of a /24, configurable, upper half of a small LAN', () => {
    expect(deriveFromLan('10.40.7.0/24', rule)).toEqual({lanGateway: '10.40.7.1', dhcpStart: '10.40.7.100', dhcpEnd: '10.40.7.199'})
    // A host address written for the network is read as its network.
    expect(deriveFromLan('10.40.7.1/24', rule)).toEqual({lanGateway: '10.40.7.1', dhcpStart: '10.40.7.100', dhcpEnd: '10.40.7.199'})
    expect(deriveFromLan('172.16.0.0/22', rule)).toEqual({lanGateway: '172.16.0.1', dhcpStart: '172.16.0.100', dhcpEnd: '172.16.0.199'})
    expect(deriveFromLan('192.168.1.0/26', rule)).toEqual({lanGateway: '192.168.1.1', dhcpStart: '192.168.1.32', dhcpEnd: '192.168.1.62'})
    expect(deriveFromLan('192.168.1.0/29', rule)).toEqual({lanGateway: '192.168.1.1', dhcpStart: '192.168.1.4', dhcpEnd: '192.168.1.6'})
    expect(deriveFromLan('192.168.1.0/30', rule)).toBeUndefined()
    expect(deriveFromLan('not a lan', rule)).toBeUndefined()
    const custom = AddressingConfigSchema.parse({gatewayHost: 254, dhcpFirst: 10, dhcpLast: 200})
    expect(deriveFromLan('10.1.2.0/24', custom)).toEqual({lanGateway: '10.1.2.254', dhcpStart: '10.1.2.10', dhcpEnd: '10.1.2.200'})
    expect(AddressingConfigSchema.safeParse({dhcpFirst: 200, dhcpLast: 100}).success).toBe(false)
    expect(AddressingConfigSchema.safeParse({pool: '10.40.0.0'}).success).toBe(false)
  })

  it('allocates in UAI order, skipping every taken LAN, the same way every time; a full pool says how many are missing', () => {
    const a = allocateLans(['0400003L', '0400001J', '0400002K'], ['10.40.1.0/24', '10.40.0.128/25'], rule)
    expect([...a]).toEqual([
      ['0400001J', '10.40.2.0/24'],
      ['0400002K', '10.40.3.0/24'],
      ['0400003L', '10.40.4.0/24'],
    ])
    expect([...allocateLans(['0400003L', '0400001J', '0400002K'], ['10.40.1.0/24', '10.40.0.128/25'], rule)]).toEqual([...a])
    const small = AddressingConfigSchema.parse({pool: ['10.0.0.0/23'], lanPrefix: 24})
    expect(() => allocateLans(['a', 'b', 'c'], [], small)).toThrow(PoolExhausted)
    let caught: unknown
    try {
      allocateLans(['a', 'b', 'c'], ['10.0.1.0/24'], small)
    } catch (error) {
      caught = error
    }
    expect(caught).toMatchObject({needed: 2, prefix: 24})
  })

  it('tells the authority kind from its name only when the name says it', () => {
    const cases: [string, string | undefined][] = [
      ['Commune de Mont-de-Marsan', 'commune'],
      ["Commune d'Ychoux", 'commune'],
      ['Ville de Dax', 'commune'],
      ['Mairie de Sabres', 'commune'],
      ['Communauté de communes du Seignanx', 'epci'],
      ["Communauté d'agglomération du Grand Dax", 'epci'],
      ['CC Cœur Haute Lande', 'epci'],
      ['CA du Pays Basque', 'epci'],
      ['Mont de Marsan Agglomération', 'epci'],
      ['SIVOS des Trois Rivières', 'epci'],
      ['Syndicat intercommunal scolaire', 'epci'],
      ['Landes', undefined],
      ['Département des Landes', undefined],
      ['Communes associées', undefined],
      ['CCAS de Dax', undefined],
      ['', undefined],
    ]
    for (const [name, kind] of cases) expect(authorityKindFromName(name), name).toBe(kind)
    expect(communeAuthority('Aire-sur-l’Adour')).toBe("Commune d'Aire-sur-l’Adour")
    expect(communeAuthority('Hagetmau')).toBe('Commune de Hagetmau')
  })

  it('keeps only the open public écoles (maternelle, élémentaire, primaire) of the department', () => {
    const ok = {
      uai: '0400001J',
      sector: 'Public',
      schoolType: 'Ecole',
      departmentCode: '040',
      state: 'OUVERT',
      nature: 'ECOLE DE NIVEAU ELEMENTAIRE',
    }
    expect(inDirectoryScope(ok, '040')).toBe(true)
    expect(inDirectoryScope({...ok, departmentCode: '40'}, '040')).toBe(true)
    expect(inDirectoryScope({...ok, departmentCode: undefined}, '040')).toBe(true)
    expect(inDirectoryScope({...ok, departmentCode: undefined, uai: '0640001A'}, '040')).toBe(false)
    expect(inDirectoryScope({...ok, departmentCode: '064'}, '040')).toBe(false)
    expect(inDirectoryScope({...ok, sector: 'Privé'}, '040')).toBe(false)
    expect(inDirectoryScope({...ok, schoolType: 'Collège'}, '040')).toBe(false)
    expect(inDirectoryScope({...ok, state: 'FERME'}, '040')).toBe(false)
    expect(inDirectoryScope({...ok, nature: 'ECOLE MATERNELLE'}, '040')).toBe(true)
    expect(inDirectoryScope({...ok, nature: 'ETABLISSEMENT REGIONAL D ENSEIGNEMENT ADAPTE'}, '040')).toBe(false)
    expect(inDirectoryScope({...ok, departmentCode: '064'}, '64')).toBe(true)
  })
})
