// Client-side search over search-index.js (built with the site; a script, so it loads from file:// too). Pages and their headings are ranked by
// how many query words they contain, with matches in titles and headings counting most.
(function () {
  const me = document.currentScript;
  const root = (me && me.dataset.root) || '.';
  const input = document.getElementById('search-input');
  const list = document.getElementById('search-results');
  if (!input || !list) return;
  let index = null, selected = -1;

  const load = () => index ? Promise.resolve(index) : new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = root + '/search-index.js';
    s.onload = () => resolve(index = window.fastflowSearchIndex || []);
    s.onerror = () => reject(new Error('search: could not load ' + s.src));
    document.head.append(s);
  });

  const words = q => q.toLowerCase().split(/[^\w.]+/).filter(w => w.length > 1);

  function score(text, ws, weight) {
    const t = (text || '').toLowerCase();
    return ws.reduce((s, w) => s + (t.includes(w) ? weight : 0), 0);
  }

  function search(q) {
    const ws = words(q), hits = [];
    if (!ws.length) return hits;
    for (const p of index) {
      const body = score(p.text, ws, 1);
      if (!body) continue;
      const all = ws.every(w => (p.title + ' ' + p.text).toLowerCase().includes(w));
      hits.push({url: p.url, title: p.title, page: p.section, s: score(p.title, ws, 6) + body + (all ? 4 : 0)});
      for (const h of p.headings) {
        const s = score(h.text, ws, 5);
        if (s) hits.push({url: p.url + '#' + h.id, title: h.text, page: p.title, s: s + (all ? 2 : 0)});
      }
    }
    return hits.sort((a, b) => b.s - a.s).slice(0, 12);
  }

  function show(hits, q) {
    list.replaceChildren();
    selected = -1;
    if (!q.trim()) { list.hidden = true; return; }
    if (!hits.length) {
      const li = document.createElement('li');
      li.className = 'no-hit'; li.textContent = 'No results for “' + q + '”';
      list.append(li);
    }
    for (const h of hits) {
      const li = document.createElement('li'), a = document.createElement('a');
      a.href = root + '/' + h.url;
      a.textContent = h.title;
      if (h.page) { const s = document.createElement('span'); s.className = 'hit-page'; s.textContent = h.page; a.append(s); }
      li.append(a); list.append(li);
    }
    list.hidden = false;
  }

  function move(d) {
    const links = list.querySelectorAll('a');
    if (!links.length) return;
    if (selected >= 0) links[selected].classList.remove('selected');
    selected = (selected + d + links.length) % links.length;
    links[selected].classList.add('selected');
    links[selected].scrollIntoView({block: 'nearest'});
  }

  input.addEventListener('input', () => load().then(() => show(search(input.value), input.value)));
  input.addEventListener('keydown', e => {
    if (e.key === 'ArrowDown') { e.preventDefault(); move(1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); move(-1); }
    else if (e.key === 'Enter') {
      const links = list.querySelectorAll('a');
      const a = links[Math.max(selected, 0)];
      if (a) location.href = a.href;
    } else if (e.key === 'Escape') { list.hidden = true; input.blur(); }
  });
  document.addEventListener('click', e => { if (!e.target.closest('.search')) list.hidden = true; });
  document.addEventListener('keydown', e => {
    if (e.key === '/' && document.activeElement !== input && !/INPUT|TEXTAREA/.test(document.activeElement.tagName)) {
      e.preventDefault(); input.focus();
    }
  });
})();
