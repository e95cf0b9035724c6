// ELK for the page bundle, loaded only when a graph needs a layered layout: most pages never do,
// and ELK is two thirds of the code. Its chunk is the file fastflow/static/fastflow-elk.js, run in
// a worker (see elk-run.js). It comes from
//   - the page itself, inlined as <script type="text/plain" class="fastflow-elk"> (what
//     `fastflow_headers()` adds: not parsed unless a layout runs), or else
//   - next to the bundle's own URL (`fastflow_headers(src)` + `serve_static(app)` serve both).
import { elkClass } from './elk-run.js'

// where this bundle was loaded from (only known while it runs)
const BASE = typeof document !== 'undefined' ? document.currentScript?.src || null : null

/** ELK's chunk: its text, inlined in the page, or its URL, next to the bundle. */
function chunk() {
  const inline = document.querySelector('script.fastflow-elk[type="text/plain"]')
  if (inline) return { text: inline.textContent }
  if (!BASE) throw new Error('fastflow: ELK layout is not available: add fastflow_headers() to the page, or serve_static(app) with fastflow_headers(src)')
  return { url: new URL(`fastflow-elk.js?v=${FASTFLOW_VERSION}-${ELK_VERSION}`, BASE).href }
}

/** Run the chunk in the page (where workers are refused): a script, as the bundle itself is. */
function runInPage(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script')
    if (src.text) {
      s.textContent = src.text // runs now
      document.head.appendChild(s)
      s.remove()
      return resolve()
    }
    s.src = src.url
    s.onload = () => resolve()
    s.onerror = () => reject(new Error(`fastflow: could not load ELK from ${src.url}`))
    document.head.appendChild(s)
  })
}

/** The ELK class (its layouts run in a worker: see elk-run.js). */
export const getELK = () => (window.fastflowELK ||= elkClass(chunk, runInPage))
