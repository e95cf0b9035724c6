// ELK for the page bundle, loaded only when a graph needs a layered layout: most pages never do,
// and ELK is two thirds of the bundle. It is the file fastflow/static/fastflow-elk.js (built from
// elk-chunk.js), which sets `window.fastflowELK`. It comes from
//   - the page itself, inlined as <script type="text/plain" class="fastflow-elk"> (what
//     `fastflow_headers()` adds: not parsed unless a layout runs), or else
//   - next to the bundle's own URL (`fastflow_headers(src)` + `serve_static(app)` serve both).

// where this bundle was loaded from (only known while it runs)
const BASE = typeof document !== 'undefined' ? document.currentScript?.src || null : null
let loading = null

/** Run the ELK chunk's text (inlined in the page), or fetch it from next to the bundle. */
function fetchELK() {
  return new Promise((resolve, reject) => {
    const inline = document.querySelector('script.fastflow-elk[type="text/plain"]')
    const s = document.createElement('script')
    if (inline) {
      s.textContent = inline.textContent // runs now
      document.head.appendChild(s)
      s.remove()
      return window.fastflowELK ? resolve(window.fastflowELK) : reject(new Error('fastflow: the inlined ELK script did not load'))
    }
    if (!BASE) return reject(new Error('fastflow: ELK layout is not available: add fastflow_headers() to the page, or serve_static(app) with fastflow_headers(src)'))
    s.src = new URL(`fastflow-elk.js?v=${FASTFLOW_VERSION}-${ELK_VERSION}`, BASE).href
    s.onload = () => (window.fastflowELK ? resolve(window.fastflowELK) : reject(new Error(`fastflow: ${s.src} did not define ELK`)))
    s.onerror = () => reject(new Error(`fastflow: could not load ELK from ${s.src}`))
    document.head.appendChild(s)
  })
}

/** A promise of elkjs's ELK class (loaded once; a failed load is tried again next time). */
export function loadELK() {
  if (window.fastflowELK) return Promise.resolve(window.fastflowELK)
  loading ||= fetchELK().catch((err) => { loading = null; throw err })
  return loading
}
