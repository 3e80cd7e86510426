/**
 * The one worker pool (laptops wipe, the fleet runner): run `fn` over the items with at most
 * `limit` at a time; results in the items' order. After the first error no new item starts,
 * every running item ends (its records written or not), then that first error is thrown.
 */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  let failure: {error: unknown} | undefined
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++
      try {
        out[i] = await fn(items[i]!)
      } catch (error) {
        failure ??= {error}
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(Math.max(1, limit), items.length)}, worker))
  if (failure) throw failure.error
  return out
}
