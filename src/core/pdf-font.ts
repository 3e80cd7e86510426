import {createRequire} from 'node:module'

/**
 * The fonts of every PDF alpi writes: DejaVu (TrueType, from the dejavu-fonts-ttf package),
 * embedded so that every glyph prints on any reader and printer: accents, "€", « », the
 * no-break spaces of French typography, "≤". The standard PDF fonts (Helvetica) are neither
 * embedded nor able to show these. Resolved as a package file (not relative to this file), so it
 * works from dist/ and from the offline bundle's node_modules alike.
 */
export const PDF_FONTS = {regular: 'DejaVuSans', bold: 'DejaVuSans-Bold', mono: 'DejaVuSansMono'} as const
export type PdfFont = keyof typeof PDF_FONTS

const resolveFont = createRequire(import.meta.url).resolve

/** The .ttf file of one of the PDF fonts. */
export function pdfFontFile(font: PdfFont): string {
  return resolveFont(`dejavu-fonts-ttf/ttf/${PDF_FONTS[font]}.ttf`)
}

/** Register the fonts on a pdfkit document under the names 'regular', 'bold' and 'mono', and start in 'regular'. */
export function usePdfFonts(doc: {registerFont(name: string, src: string): unknown; font(name: string): unknown}): void {
  for (const font of Object.keys(PDF_FONTS) as PdfFont[]) doc.registerFont(font, pdfFontFile(font))
  doc.font('regular')
}
