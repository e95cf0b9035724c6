"""Checks run on the built site: internal links resolve, every public name has a docs entry, no remote assets."""
import ast, json, re
from pathlib import Path
from posixpath import normpath, dirname, join
from urllib.parse import urlsplit, unquote

from bs4 import BeautifulSoup

_remote = re.compile(r'^\s*(?:https?:)?//', re.I)
_css_url = re.compile(r'''(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)''', re.I)
_assets = (('script', 'src'), ('img', 'src'), ('iframe', 'src'), ('source', 'src'), ('video', 'src'), ('audio', 'src'),
           ('embed', 'src'), ('object', 'data'), ('image', 'href'), ('use', 'href'), ('image', 'xlink:href'))

def _pages(out): return {p.relative_to(out).as_posix(): p for p in sorted(Path(out).rglob('*.html'))}

def _ids(soup): return {t['id'] for t in soup.find_all(id=True)} | {t['name'] for t in soup.find_all('a', attrs={'name': True})}

def check_links(out, soups):
    "Every relative link and asset of every page points at a file that exists, and at an id that exists in it"
    errs, out = [], Path(out)
    ids = {k: _ids(s) for k, s in soups.items()}
    for page, soup in soups.items():
        refs = [('a', a['href']) for a in soup.find_all('a', href=True)]
        refs += [(t, el[a]) for t, a in (('link', 'href'),) + _assets for el in soup.find_all(t, attrs={a: True})]
        for tag, href in refs:
            u = urlsplit(href)
            if u.scheme or u.netloc or href.startswith(('mailto:', 'javascript:', 'data:')): continue
            target = page if not u.path else normpath(join(dirname(page), unquote(u.path)))
            if target.startswith('..'): errs.append(f'{page}: link {href!r} leaves the site'); continue
            f = out/target
            if f.is_dir(): f, target = f/'index.html', join(target, 'index.html')
            if not f.exists(): errs.append(f'{page}: broken link {href!r} ({tag}): {target} does not exist'); continue
            if u.fragment and target.endswith('.html') and u.fragment not in ids.get(target, set()):
                hint = ' (a `name` in backticks links to its show_doc entry: add one, or name it without backticks)' if tag == 'a' else ''
                errs.append(f'{page}: broken link {href!r}: no id {u.fragment!r} in {target}{hint}')
    return errs

def check_remote_assets(out, soups):
    "No script, stylesheet, font, image or frame is loaded from http(s)://"
    errs, out = [], Path(out)
    for page, soup in soups.items():
        for t, a in _assets:
            for el in soup.find_all(t, attrs={a: True}):
                if _remote.match(el[a]): errs.append(f'{page}: remote asset <{t} {a}="{el[a]}">')
        for el in soup.find_all('link', href=True):
            rels = set(el.get('rel') or [])
            if rels & {'stylesheet', 'icon', 'preload', 'modulepreload', 'prefetch', 'manifest', 'apple-touch-icon'} and _remote.match(el['href']):
                errs.append(f'{page}: remote asset <link rel="{" ".join(rels)}" href="{el["href"]}">')
        for el in soup.find_all(srcset=True):
            if re.search(r'(?:^|,)\s*(?:https?:)?//', el['srcset']): errs.append(f'{page}: remote srcset {el["srcset"]!r}')
        for el in soup.find_all('style'): errs += [f'{page}: remote URL in <style>: {u}' for u in _css_url.findall(el.get_text())]
        for el in soup.find_all(style=True): errs += [f'{page}: remote URL in style="": {u}' for u in _css_url.findall(el['style'])]
    for css in sorted(Path(out).rglob('*.css')):
        errs += [f'{css.relative_to(out)}: remote URL {u}' for u in _css_url.findall(css.read_text(errors='replace'))]
    return errs

def module_all(py):
    "The names in a module's `__all__` (read from source, without importing it)"
    for node in ast.parse(Path(py).read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == '__all__' for t in node.targets):
            return [ast.literal_eval(e) for e in node.value.elts]
    return []

_src_nb = re.compile(r'File to edit: (\S+?\.ipynb)')

def check_public_docs(site, soups):
    "Each name in a module's `__all__` has a docs entry on that module's page: a `show_doc` or a heading naming it"
    errs, by_nb = [], {p.nbrel: p for p in site.order}
    for py in sorted(site.lib.rglob('*.py')):
        if py.name.startswith('_'): continue
        m = _src_nb.search(py.read_text()[:1000])
        if not m: continue
        nb = normpath(join(dirname(py.relative_to(site.root).as_posix()), m[1]))
        nbrel = Path(nb).relative_to(site.nbs.relative_to(site.root)).as_posix()
        page = by_nb.get(nbrel)
        mod = py.relative_to(site.root).with_suffix('').as_posix().replace('/', '.')
        if page is None: errs.append(f'{mod}: its notebook {nbrel} has no docs page'); continue
        heads = {h.get_text().rstrip('#').strip() for h in soups[page.url].find_all(['h2', 'h3', 'h4', 'h5'])}
        heads |= {re.split(r'[\s(]', h, 1)[0] for h in heads if h}
        for n in module_all(py):
            if n not in heads:
                errs.append(f'{mod}.{n} is public (in __all__) but {page.url} has no docs entry for it: '
                            f'add `show_doc({n})`, or a markdown heading `### {n}` above the cells that explain it')
    return errs

JS_PAGE = 'js_api.ipynb'  # the reference page of the page-side JavaScript API, in nbs/

def js_api_names(root) -> list:
    "What page.js puts on `window.fastflow`: js/bridge-names.json (the list page.js itself checks) and its `api` object"
    js = Path(root)/'js'
    names = json.loads((js/'bridge-names.json').read_text()) if (js/'bridge-names.json').exists() else []
    m = re.search(r'^const api = \{(.*?)^\}', (js/'page.js').read_text(), re.M | re.S) if (js/'page.js').exists() else None
    if m: names += [n for n in re.findall(r'^\s*([A-Za-z_$][\w$]*)\s*[:,]', m[1], re.M) if n not in names]
    return names

def check_js_docs(site, soups):
    "Each function and constant of `window.fastflow` has an entry (a heading naming it) on the JavaScript API page"
    names = js_api_names(site.root)
    if not names: return []
    page = next((p for p in site.order if p.nbrel == JS_PAGE), None)
    if page is None: return [f'js: {len(names)} names on window.fastflow, but nbs/{JS_PAGE} (their reference page) is missing']
    heads = {h.get_text().rstrip('#').strip() for h in soups[page.url].find_all(['h2', 'h3', 'h4'])}
    heads = {re.split(r'[\s(]', h, 1)[0].removeprefix('fastflow.') for h in heads if h}
    return [f'js: window.fastflow.{n} (in js/bridge-names.json) has no entry on {page.url}: add a heading '
            f'`### fastflow.{n}(...)` to nbs/{JS_PAGE} with its arguments, options, events and an example'
            for n in names if n not in heads]

def run_checks(site):
    "All checks on a built site; returns a list of problems (empty when the site is good)"
    soups = {k: BeautifulSoup(p.read_text(), 'html.parser') for k, p in _pages(site.out).items()}
    return (list(site.errors) + check_links(site.out, soups) + check_remote_assets(site.out, soups) + check_public_docs(site, soups)
            + check_js_docs(site, soups))
