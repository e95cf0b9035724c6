// A node's context menu, the same in the page and the widget: plain DOM on the document's body at (x, y), kept
// on screen, focused on its first enabled item. Escape, Tab, a click elsewhere or leaving the window close it.
// Light or dark as the system (or JupyterLab's theme) says. What the items do is the caller's: the page streams a rerun from its route, the widget asks Python.

const STYLE = `
.ff-menu { color-scheme: light dark; position: fixed; z-index: 10000; min-width: 150px; padding: 4px; background: light-dark(#fff, #1e293b); border: 1px solid light-dark(#e2e8f0, #334155); border-radius: 6px; box-shadow: 0 4px 16px rgba(15, 23, 42, .15); font: 13px/1.4 -apple-system, system-ui, sans-serif; }
body[data-jp-theme-light="false"] .ff-menu { color-scheme: dark; }
body[data-jp-theme-light="true"] .ff-menu { color-scheme: light; }
.ff-menu button { display: block; width: 100%; border: 0; background: none; padding: 5px 10px; text-align: left; font: inherit; color: light-dark(#1f2937, #e2e8f0); border-radius: 4px; cursor: pointer; }
.ff-menu button:hover:not(:disabled), .ff-menu button:focus-visible { background: light-dark(#f1f5f9, #334155); outline: none; }
.ff-menu button:disabled { color: #94a3b8; cursor: default; }
.ff-menu .ff-menu-note { padding: 2px 10px 4px; color: light-dark(#64748b, #94a3b8); font-size: 11px; }
`

function injectCss(doc) {
  if (doc.getElementById('fastflow-menu-css')) return
  const s = doc.createElement('style')
  s.id = 'fastflow-menu-css'
  s.textContent = STYLE
  doc.head.appendChild(s)
}

/**
 * Open a menu of `items` (`{label, action, title, disabled, run}`) at (`x`, `y`) in `doc`. Options: `cls` (extra
 * class names), `label` (its accessible name), `note` (a line of small print), `back` (the element that gets
 * the focus back after Escape). Returns the function that closes it.
 */
export function nodeMenu(doc, x, y, items, { cls = '', label, note, back } = {}) {
  injectCss(doc)
  const win = doc.defaultView
  const menu = doc.createElement('div')
  menu.className = `ff-menu ${cls}`.trim()
  menu.setAttribute('role', 'menu')
  if (label) menu.setAttribute('aria-label', label)
  for (const it of items) {
    const b = doc.createElement('button')
    Object.assign(b, { type: 'button', textContent: it.label, title: it.title || '', disabled: !!it.disabled })
    b.setAttribute('role', 'menuitem')
    b.dataset.action = it.action
    b.addEventListener('click', () => { close(); it.run() })
    menu.append(b)
  }
  if (note) {
    const n = doc.createElement('div')
    n.className = 'ff-menu-note'
    n.textContent = note
    menu.append(n)
  }
  Object.assign(menu.style, { left: `${x}px`, top: `${y}px` })
  doc.body.append(menu)
  const r = menu.getBoundingClientRect()
  if (r.right > win.innerWidth) menu.style.left = `${Math.max(0, win.innerWidth - r.width - 4)}px`
  if (r.bottom > win.innerHeight) menu.style.top = `${Math.max(0, win.innerHeight - r.height - 4)}px`
  const away = (e) => { if (!menu.contains(e.target)) close() }
  const keys = (e) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); back?.focus?.() }
    else if (e.key === 'Tab') close()
  }
  function close() {
    menu.remove()
    doc.removeEventListener('pointerdown', away, true)
    doc.removeEventListener('keydown', keys, true)
    win.removeEventListener('blur', close)
  }
  doc.addEventListener('pointerdown', away, true)
  doc.addEventListener('keydown', keys, true)
  win.addEventListener('blur', close)
  const first = menu.querySelector('button:not(:disabled)')
  if (first) first.focus()
  else { menu.tabIndex = -1; menu.focus() }
  return close
}
