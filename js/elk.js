// ELK for the widget's build. anywidget loads one ES module and must import it within 2 s, or the
// widget stays blank: so ELK (two thirds of the code) is not part of that module's code, but a
// string in it (the text of fastflow-elk.js, put in by build.mjs), which costs next to nothing to
// load, and is imported when a layout first needs it. The page's build swaps this module for
// elk-lazy.js (see build.mjs). Both export `loadELK()`: a promise of elkjs's ELK class.
import ELK_SOURCE from 'fastflow-elk-source'

let loading = null

async function importELK() {
  const url = URL.createObjectURL(new Blob([ELK_SOURCE], { type: 'text/javascript' }))
  try { await import(url) } finally { URL.revokeObjectURL(url) }
  if (!window.fastflowELK) throw new Error('fastflow: the ELK chunk did not define ELK')
  return window.fastflowELK
}

/** A promise of elkjs's ELK class (imported once; a failed import is tried again next time). */
export function loadELK() {
  if (window.fastflowELK) return Promise.resolve(window.fastflowELK)
  loading ||= importELK().catch((err) => { loading = null; throw err })
  return loading
}
