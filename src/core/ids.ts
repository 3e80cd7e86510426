import {randomUUID} from 'node:crypto'

/** The current time as an ISO string; overridable for reproducible documents and tests. */
export function nowIso(): string {
  const fixed = process.env.ALPI_NOW
  return fixed ? new Date(fixed).toISOString() : new Date().toISOString()
}

export function newId(): string {
  return randomUUID()
}
