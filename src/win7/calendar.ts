/** Working days in France: no weekends, no public holidays (fixed ones, Easter Monday, Ascension, Whit Monday). */

function easterSunday(year: number): Date {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher)
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return new Date(Date.UTC(year, month - 1, day))
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10)
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000)
}

const cache = new Map<number, Set<string>>()

export function frenchPublicHolidays(year: number): Set<string> {
  let set = cache.get(year)
  if (set) return set
  const easter = easterSunday(year)
  set = new Set([
    ...['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map((md) => `${year}-${md}`),
    isoDay(addDays(easter, 1)), // lundi de Pâques
    isoDay(addDays(easter, 39)), // Ascension
    isoDay(addDays(easter, 50)), // lundi de Pentecôte
  ])
  cache.set(year, set)
  return set
}

export function isWorkingDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`)
  const wd = d.getUTCDay()
  return wd !== 0 && wd !== 6 && !frenchPublicHolidays(d.getUTCFullYear()).has(day)
}

/** The first working day on or after `day`. */
export function nextWorkingDay(day: string, after = false): string {
  let d = new Date(`${day}T00:00:00Z`)
  if (after) d = addDays(d, 1)
  while (!isWorkingDay(isoDay(d))) d = addDays(d, 1)
  return isoDay(d)
}
