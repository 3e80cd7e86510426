/**
 * A value built when first asked for, then kept. For what costs start-up time to build and that
 * many commands never use: the first Intl formatter of a process sets up ICU (about 20 ms), a
 * large zod schema about 10 ms (bench/cli-startup.mjs). A module keeps `const x = onFirstUse(()
 * => build())` and calls `x()` where it needs it.
 */
export function onFirstUse<T>(make: () => T): () => T {
  let made: T | undefined
  return () => (made ??= make())
}
