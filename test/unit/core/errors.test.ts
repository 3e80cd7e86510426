import {describe, expect, it} from 'vitest'
import {BugError, Cancelled, EXIT, InputRejected, PartialFailure, UsageError, toAlpiError} from '../../../src/core/errors.js'
import {defineMessages, detectLanguage} from '../../../src/core/i18n.js'
import {canPrompt, confirmAction, confirmSevere} from '../../../src/cli/prompt.js'

describe('errors', () => {
  it('carry stable codes and the documented exit codes', () => {
    expect(new UsageError('x')).toMatchObject({code: 'USAGE', exitCode: 2})
    expect(new InputRejected('x')).toMatchObject({code: 'INPUT_REJECTED', exitCode: 3})
    expect(new PartialFailure('x')).toMatchObject({code: 'PARTIAL_FAILURE', exitCode: 4})
    expect(new Cancelled()).toMatchObject({code: 'CANCELLED', exitCode: 130})
    expect(EXIT).toEqual({ok: 0, failure: 1, usage: 2, rejected: 3, partial: 4, cancelled: 130})
  })

  it('class environment errors apart from bugs', () => {
    const enoent = Object.assign(new Error('no such file'), {code: 'ENOENT', path: '/x'})
    expect(toAlpiError(enoent)).toMatchObject({code: 'ENOENT', exitCode: 1})
    expect(toAlpiError(new TypeError('undefined is not a function'))).toBeInstanceOf(BugError)
    expect(toAlpiError(Object.assign(new Error('User force closed the prompt'), {name: 'ExitPromptError'}))).toBeInstanceOf(Cancelled)
  })
})

describe('i18n', () => {
  const t = defineMessages({en: {hello: 'Hello {name}'}, fr: {hello: 'Bonjour {name}'}})
  it('picks French from LANG/LC_ALL', () => {
    expect(detectLanguage({LANG: 'fr_FR.UTF-8'})).toBe('fr')
    expect(detectLanguage({LC_ALL: 'C.UTF-8', LANG: 'fr_FR.UTF-8'})).toBe('en')
    expect(detectLanguage({})).toBe('en')
    expect(t('hello', {name: 'Ana'}, 'fr')).toBe('Bonjour Ana')
    expect(t('hello', {name: 'Ana'}, 'en')).toBe('Hello Ana')
  })
})

describe('prompt guard', () => {
  it('never prompts without a TTY, with CI or --no-input, and names the flag to pass', async () => {
    expect(canPrompt(false, {}, {isTTY: true})).toBe(true)
    expect(canPrompt(true, {}, {isTTY: true})).toBe(false)
    expect(canPrompt(false, {CI: 'true'}, {isTTY: true})).toBe(false)
    expect(canPrompt(false, {}, {isTTY: false})).toBe(false)
    const guard = {interactive: false, yes: false}
    await expect(confirmAction(guard, 'Deploy to 3 schools?')).rejects.toMatchObject({code: 'USAGE', actions: ['Pass --yes to confirm.']})
    await expect(confirmAction({interactive: false, yes: true}, 'Deploy?')).resolves.toBeUndefined()
    await expect(confirmSevere(guard, 'SN123', 'Wipe /dev/sdb?')).rejects.toMatchObject({code: 'USAGE', actions: ['Pass --confirm SN123.']})
    await expect(confirmSevere(guard, 'SN123', 'Wipe?', 'SN999')).rejects.toMatchObject({code: 'USAGE'})
    await expect(confirmSevere(guard, 'SN123', 'Wipe?', 'SN123')).resolves.toBeUndefined()
  })
})
