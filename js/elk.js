// ELK for the widget's build. anywidget loads one ES module and must import it within 2 s, or the
// widget stays blank: so ELK (two thirds of the code) is not part of that module's code, but a
// string in it (the text of fastflow-elk.js, put in by build.mjs), which costs next to nothing to
// load, and is run in a worker when a layout first needs it (see elk-run.js). The page's build
// swaps this module for elk-lazy.js (see build.mjs). Both export `getELK()`: an ELK class, as
// elkjs's.
import ELK_SOURCE from 'fastflow-elk-source'
import { elkClass } from './elk-run.js'

/** Run the chunk in the page (where workers are refused), as a module. */
async function runInPage(src) {
  const url = URL.createObjectURL(new Blob([src.text], { type: 'text/javascript' }))
  try { await import(url) } finally { URL.revokeObjectURL(url) }
}

/** The ELK class (its layouts run in a worker: see elk-run.js). */
export const getELK = () => (window.fastflowELK ||= elkClass(() => ({ text: ELK_SOURCE }), runInPage))
