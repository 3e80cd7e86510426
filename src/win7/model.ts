/** GLPI tree paths use " > " between levels (a bare ">" may be part of a name). */
export function splitPath(path: string): string[] {
  return path
    .split(/\s+>\s+/)
    .map((p) => p.trim())
    .filter(Boolean)
}

/** "Entité racine > CC des Landes > Mairie de Pissos" → last segment. */
export function lastSegment(path: string): string {
  const parts = splitPath(path)
  return parts.at(-1) ?? path.trim()
}

/** A stable key from a display name: lower case, no accents, a-z0-9 and dashes. */
export function slug(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'x'
  )
}

/** Catalogue categories, from LAFI's French labels. */
export const CATEGORIES = ['laptop', 'tower', 'screen', 'tablet', 'webcam', 'headset', 'dock', 'other'] as const
export type Category = (typeof CATEGORIES)[number]

export function normaliseCategory(label: string): Category {
  const s = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
  if (/portable|laptop|notebook/.test(s)) return 'laptop'
  if (/tour|tower|unite centrale|poste fixe|desktop|mini.?pc|sff/.test(s)) return 'tower'
  if (/ecran|moniteur|screen|monitor/.test(s)) return 'screen'
  if (/tablette|tablet/.test(s)) return 'tablet'
  if (/webcam|camera/.test(s)) return 'webcam'
  if (/casque|headset|micro/.test(s)) return 'headset'
  if (/station d.accueil|dock/.test(s)) return 'dock'
  return 'other'
}
