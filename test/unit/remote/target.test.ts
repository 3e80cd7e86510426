import {describe, expect, it} from 'vitest'
import {parseSshTarget} from '../../../src/remote/target.js'

describe('parseSshTarget: the one user@host[:port] parser (laptops probe, win7 stage)', () => {
  it('reads a user, a host name or address, and a port that defaults to 22', () => {
    expect(parseSshTarget('root@192.0.2.10')).toEqual({username: 'root', host: '192.0.2.10', port: 22})
    expect(parseSshTarget('adminlocal@pc-01.ecole.example:2222')).toEqual({username: 'adminlocal', host: 'pc-01.ecole.example', port: 2222})
    expect(parseSshTarget('root@[2001:db8::1]:22')).toEqual({username: 'root', host: '2001:db8::1', port: 22})
  })
  it('refuses what is not a target: no user, no host, spaces, a port out of range', () => {
    for (const bad of [
      '192.0.2.10',
      'root@',
      '@host',
      'ro ot@host',
      'root@host:',
      'root@host:0',
      'root@host:70000',
      'root@2001:db8::1',
      'a@b@c',
    ]) {
      expect(parseSshTarget(bad), bad).toBeUndefined()
    }
  })
})
