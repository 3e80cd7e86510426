import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {UsageError} from '../../../src/core/errors.js'
import {alternativeFor, blockingRule, loadPolicy} from '../../../src/win7/policy.js'
import {tempDir, TEMPLATES_DIR} from '../../helpers/context.js'

const policy = loadPolicy(TEMPLATES_DIR)

describe('supply policy (templates/win7/supply-policy.json)', () => {
  it.each([
    ['laptop', '2020-03-16', 'penurie-2020'],
    ['laptop', '2020-12-31', 'penurie-2020'],
    ['tablet', '2020-06-01', 'penurie-2020'],
    ['webcam', '2020-06-01', 'penurie-2020'],
    ['headset', '2020-06-01', 'penurie-2020'],
    ['laptop', '2020-03-15', null],
    ['laptop', '2021-01-01', null],
    ['tower', '2020-06-01', null],
    ['screen', '2020-06-01', null],
  ] as const)('%s on %s → blocked by %s', (category, date, rule) => {
    expect(blockingRule(policy, category, date)?.id ?? null).toBe(rule)
  })

  it('offers a tower and a screen for a blocked laptop, nothing for a webcam', () => {
    expect(alternativeFor(policy, 'laptop')).toEqual(['tower', 'screen'])
    expect(alternativeFor(policy, 'webcam')).toBeNull()
  })

  it('refuses a policy whose alternative is blocked too, or with dates the wrong way round', () => {
    const d = tempDir('alpi-win7-policy-')
    try {
      const bad = join(d.path, 'bad.json')
      writeFileSync(
        bad,
        JSON.stringify({
          rules: [{id: 'r', from: '2020-01-01', to: '2020-02-01', blocked: ['laptop', 'tower']}],
          alternatives: {laptop: ['tower']},
        }),
      )
      expect(() => loadPolicy(TEMPLATES_DIR, bad)).toThrow(/alternative of laptop is blocked/)
      writeFileSync(bad, JSON.stringify({rules: [{id: 'r', from: '2020-05-01', to: '2020-02-01', blocked: ['laptop']}]}))
      expect(() => loadPolicy(TEMPLATES_DIR, bad)).toThrow(UsageError)
      writeFileSync(bad, JSON.stringify({rules: [{id: 'r', from: '2020-05-01', to: '2020-06-01', blocked: ['spaceship']}]}))
      expect(() => loadPolicy(TEMPLATES_DIR, bad)).toThrow(/invalid at "rules.0.blocked.0"/)
    } finally {
      d.cleanup()
    }
  })
})
