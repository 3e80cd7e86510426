/**
 * Detectors for the language checks of the e2e tests: a line of alpi's output, once what is not
 * a sentence is taken out (paths, commands, flags, codes, quoted values, numbers), must hold no
 * common word of the other language.
 */
const NOT_SENTENCE = [
  /`[^`]*`/g, // commands quoted in a message
  /\balpi( [\w.:/@{}=-]+)+/g, // a command line in an action
  /[«"“][^»"”]*[»"”]/g, // quoted values
  /(?:\.{0,2}\/|[A-Za-z]:\\)[^\s,;:()]*/g, // paths
  /--?[a-z][\w-]*/g, // flags
  /\[[A-Z0-9_]+\]/g, // [ERROR_CODE]
  /\b[A-Z0-9_]{2,}\b/g, // codes, UAIs, serials, headers' abbreviations
  /\b[\w.-]+@[\w.-]+/g, // user@host
  /\b[\w-]+\.(?:csv|json|tsv|html|tar\.gz|sqlite|conf|xml|ps1|cmd|ics)\b/g, // file names
]

export const ENGLISH =
  /\b(the|is|are|not|with|and|of|to|from|has|have|was|were|this|that|which|school|schools|file|files|row|rows|no|be|been|cannot|must|give|only|already|each|every|done|planned|failed|found|missing|new|updated|unchanged|rejected|written|read)\b/i
export const FRENCH =
  /\b(le|la|les|des|du|une|est|pas|aucun|aucune|école|écoles|fichier|fichiers|ligne|lignes|avec|dans|pour|être|sont|été|nouvelles?|rejetées?|inchangées?)\b/i

/** The words of `other` left in `text`, one entry per line that holds some (empty: clean). */
export function foreignLines(text: string, other: RegExp, keep: (line: string) => string = (l) => l): string[] {
  const out: string[] = []
  for (const raw of text.split('\n')) {
    let line = keep(raw)
    for (const re of NOT_SENTENCE) line = line.replace(re, ' ')
    const m = new RegExp(other.source, 'gi')
    const words = [...line.matchAll(m)].map((x) => x[0])
    if (words.length > 0) out.push(`${words.join(',')} ← ${raw}`)
  }
  return out
}
