"""Build the docs site offline: nbdev processes the notebooks, nbconvert renders them, a Jinja page wraps them."""
import json, os, re, shutil
from pathlib import Path
from posixpath import relpath as _prel, normpath as _pnorm, dirname as _pdir, join as _pjoin
from urllib.parse import urlsplit

import nbformat, yaml
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from nbdev.config import get_config
from nbdev.doclinks import _nbpath2html
from nbdev.serve import proc_nbs

from .signatures import clean_show_doc

HERE = Path(__file__).parent
ASSETS = HERE/'assets'
_dir_re = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')

def rel(src, dst):
    "Relative URL from page `src` to site path `dst` (both relative to the site root)"
    return _prel(dst, _pdir(src) or '.')

def slug(text):
    "Pandoc-style heading id, as Quarto and nbdev's doc links use"
    s = re.sub(r'[^\w\s.-]', '', text.strip().lower())
    s = re.sub(r'\s+', '-', s)
    return re.sub(r'^[^a-z]+', '', s) or 'section'

# ---------------------------------------------------------------- notebook -> cells

def _directives(src):
    "Split leading `#| key: value` lines from a code cell's source"
    lines, d = src.splitlines(), {}
    while lines and (m := _dir_re.match(lines[0])): d[m[1]] = m[2]; lines.pop(0)
    return d, '\n'.join(lines).strip('\n')

_fence_re = re.compile(r'^:::+\s*\{?\s*\.?([\w-]+)?[^}]*\}?\s*$')
_attr_link_re = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)\{([^}]*)\}')

_mermaid_re = re.compile(r'^```\{?mermaid\}?', re.M)

def _md(src):
    "Turn the Quarto-only markdown bits our notebooks use into plain CommonMark + HTML"
    if _mermaid_re.search(src):
        raise SystemExit(f'docs: a markdown cell has a mermaid diagram, which this offline build does not draw: commit it as a '
                         f'picture beside the notebook (e.g. images/name.svg) and show it with ![what it shows](images/name.svg):\n{src[:300]}')
    src = re.sub(r'^```\{(\w+)\}', r'```\1', src, flags=re.M)
    src = _attr_link_re.sub(lambda m: f'<a href="{m[2]}" class="{"source-link" if m[1]=="source" else ""}">{m[1]}</a>', src)
    out, in_code = [], False
    for l in src.splitlines():
        if l.startswith('```'): in_code = not in_code
        m = None if in_code else _fence_re.match(l)
        if m and m[1]: out += ['', f'<div class="{m[1]} {m[1].split("-")[0]}">', '']
        elif m: out += ['', '</div>', '']
        else: out.append(l)
    return '\n'.join(out)

class QuartoCells(Preprocessor):
    "Apply the Quarto cell options nbdev leaves in processed notebooks (echo, output, include, code-fold)"
    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == 'markdown': cell.source = _md(cell.source)
        if cell.cell_type != 'code': return cell, resources
        d, cell.source = _directives(cell.source)
        tags = set(cell.metadata.get('tags', []))
        if d.get('include') == 'false': tags.add('remove_cell')
        if d.get('echo') == 'false' or not cell.source.strip(): tags.add('remove_input')
        if d.get('output') == 'false': tags.add('remove_output')
        if 'code-fold' in d: cell.metadata['ff_fold'] = d.get('code-summary', 'Code').strip('"\'')
        if re.search(r'^show_doc\(', cell.source, re.M): tags.add('doc-entry')
        if any(o.get('output_type') == 'error' for o in cell.get('outputs', [])): resources.setdefault('errors', []).append(cell.source)
        cell.metadata['tags'] = sorted(tags)
        for o in cell.get('outputs', []):
            data = o.get('data', {})
            if 'text/markdown' in data: data['text/markdown'] = _md(clean_show_doc(data['text/markdown']))  # show_doc output
            # a widget view that also carries HTML (our FlowWidget does) is shown from its HTML
            if 'application/vnd.jupyter.widget-view+json' in data and 'text/html' in data:
                del data['application/vnd.jupyter.widget-view+json']
        return cell, resources

def read_frontmatter(nb):
    "Pop nbdev's frontmatter raw cell and return it as a dict"
    fm = {}
    for c in list(nb.cells):
        if c.cell_type == 'raw' and c.source.strip().startswith('---'):
            fm.update(yaml.safe_load(c.source.strip().strip('-')) or {}); nb.cells.remove(c)
    return fm

def exporter():
    e = HTMLExporter(template_name='fastflowdocs', extra_template_basedirs=[str(HERE/'template')])
    e.exclude_anchor_links = False
    e.anchor_link_text = '#'
    e.register_preprocessor(QuartoCells(), enabled=True)
    from nbconvert.preprocessors import TagRemovePreprocessor
    e.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={'remove_cell'}, remove_input_tags={'remove_input'},
                                                  remove_all_outputs_tags={'remove_output'}, enabled=True), enabled=True)
    return e

# ---------------------------------------------------------------- sidebar / pages

def load_sidebar(nbs):
    "Sidebar entries from `nbs/sidebar.yml` (what Quarto reads too), or nbdev's generated one"
    p = nbs/'sidebar.yml'
    if not p.exists():
        from nbdev.quarto import nbdev_sidebar
        import io, contextlib
        f = io.StringIO()
        with contextlib.redirect_stdout(f): nbdev_sidebar.__wrapped__(path=nbs, printit=True, force=True)
        return yaml.safe_load(f.getvalue())['website']['sidebar']['contents']
    return yaml.safe_load(p.read_text())['website']['sidebar']['contents']

class Page:
    def __init__(self, src, nbrel):
        self.src, self.nbrel = src, nbrel           # processed notebook path, notebook path relative to nbs
        self.url = (Path(nbrel).parent/_nbpath2html(Path(nbrel)).name).as_posix()
        self.title = self.desc = ''
        self.section = None
    def __repr__(self): return f'Page({self.nbrel!r}->{self.url!r})'

def _nav(entries, pages, section=None):
    "Resolve sidebar entries into a tree of dicts and set each page's section"
    res = []
    for e in entries:
        if isinstance(e, dict) and 'section' in e:
            res.append(dict(section=e['section'], contents=_nav(e.get('contents', []), pages, e['section'])))
            continue
        href = e.get('href') if isinstance(e, dict) else e
        p = pages.get(href.replace('.qmd', '.ipynb'))
        if p is None: raise SystemExit(f'docs: sidebar.yml names {href!r}, which is not a notebook in nbs/')
        p.section = section
        res.append(dict(page=p, text=(e.get('text') if isinstance(e, dict) else None)))
    return res

def _flat(tree): return [o for e in tree for o in (_flat(e['contents']) if 'section' in e else [e['page']])]

# ---------------------------------------------------------------- HTML post-processing

class Site:
    def __init__(self, cfg, out):
        self.cfg, self.out = cfg, Path(out)
        self.root, self.nbs, self.lib = cfg.config_path, cfg.nbs_path, cfg.lib_path
        self.static = self.lib/'static'
        self.doc_prefix = (cfg.get('doc_host', '') + cfg.get('doc_baseurl', '/')).rstrip('/') + '/'
        self.src_prefix = f"{cfg.get('git_url', '').rstrip('/')}/blob/{cfg.get('branch', 'main')}/"
        self.static_files = {p.name for p in self.static.glob('*')} if self.static.exists() else set()

    def fix_body(self, page, html, pages_by_nb):
        "Rewrite ids, links and asset URLs of a rendered notebook body"
        soup = BeautifulSoup(html, 'html.parser')
        for c in soup.select('.celltag_doc-entry'): c['class'] = c['class'] + ['doc-entry']
        seen = set()
        for h in soup.find_all(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']):
            for a in h.find_all('a', class_='anchor-link'): a.extract()
            i = base = slug(h.get_text())
            n = 0
            while i in seen: n += 1; i = f'{base}-{n}'
            seen.add(i); h['id'] = i
            a = soup.new_tag('a', href=f'#{i}', attrs={'class': 'anchor-link', 'aria-label': 'link to this section'}); a.string = '#'
            h.append(a)
        for a in soup.find_all('a', href=True): a['href'] = self.link(page, a['href'], pages_by_nb)
        for t, attr in (('script', 'src'), ('link', 'href'), ('img', 'src')):
            for el in soup.find_all(t, attrs={attr: True}): el[attr] = self.asset(page, el[attr])
        for a in soup.select('a.source-link'): a['title'] = 'source code'
        return soup

    def link(self, page, href, pages_by_nb):
        u = urlsplit(href)
        frag = f'#{u.fragment}' if u.fragment else ''
        if href.startswith(self.doc_prefix) and not href.startswith('//'):  # nbdev's doc links: `/execution.html#flowexecutor`
            path = href[len(self.doc_prefix):].split('#')[0] or 'index.html'
            if self.doc_prefix != '/' or path in {p.url for p in pages_by_nb.values()}: return rel(page.url, path) + frag
        if self.src_prefix and href.startswith(self.src_prefix):
            path = href[len(self.src_prefix):].split('#')[0]
            if (self.root/path).suffix == '.py' and (self.root/path).exists():
                return rel(page.url, f'src/{path}.html') + (f'#L{u.fragment[1:]}' if u.fragment.startswith('L') else '')
        if u.scheme or u.netloc or not u.path: return href
        if u.path.endswith('.ipynb'):
            target = _pnorm(_pjoin(_pdir(page.nbrel), u.path))
            p = pages_by_nb.get(target)
            if p: return rel(page.url, p.url) + frag
        if u.path.endswith('.md') and not u.path.startswith('/'): return u.path[:-3] + '.html' + frag
        return href

    def asset(self, page, url):
        "Point our own bundled assets at the site's copy of the package's static files"
        u = urlsplit(url)
        name = u.path.rsplit('/', 1)[-1]
        if not u.scheme and name in self.static_files: return rel(page.url, f'static/{name}')
        return url

def source_page(path, code):
    "A highlighted Python file with a `L<n>` anchor per line"
    fmt = HtmlFormatter(nowrap=True)
    lines = highlight(code, PythonLexer(), fmt).splitlines()
    body = ''.join(f'<span class="line" id="L{i}"><a class="ln" href="#L{i}">{i}</a>{l}</span>' for i, l in enumerate(lines, 1))
    return f'<div class="highlight source"><pre>{body}</pre></div>'

# ---------------------------------------------------------------- build

def _cause(e):
    "The error behind nbdev's 'Error in notebook', from its worker's traceback"
    lines = [l for l in str(e.__cause__ or '').splitlines() if re.match(r'^\w+(Error|Exception)\b', l)]
    return f'caused by {lines[-1]}' if lines else ''

def build(out=None, force=True, quiet=False):
    "Build the site into `out` (default: `doc_path` from settings.ini). Returns the `Site`."
    cfg = get_config()
    log = (lambda *a: None) if quiet else (lambda *a: print('docs:', *a, flush=True))
    site = Site(cfg, out or cfg.doc_path)
    out = site.out
    log('processing notebooks with nbdev')
    cwd = os.getcwd()
    if quiet: os.environ.setdefault('PYTHONWARNINGS', 'ignore::UserWarning')  # nbdev's per-cell advice, in its workers
    os.chdir(cfg.nbs_path)  # notebooks run from their folder, as under nbdev_test
    try: cache = proc_nbs(cfg.nbs_path, force=force)
    except Exception as e:
        raise SystemExit(f"docs: nbdev could not process the notebooks (nbdev runs each notebook's import, export and "
                         f"show_doc cells; keep imports in cells of their own):\n{e}\n{_cause(e)}") from e
    finally: os.chdir(cwd)
    pages = {}
    for p in sorted(cache.rglob('*.ipynb')):
        r = p.relative_to(cache)
        if any(s.startswith(('_', '.')) for s in r.parts): continue
        pages[r.as_posix()] = Page(p, r.as_posix())
    nav = _nav(load_sidebar(cfg.nbs_path), pages)
    order = _flat(nav)
    extra = [p for p in pages.values() if p not in order]
    for p in extra: log(f'warning: {p.nbrel} is not in nbs/sidebar.yml; its page is only reachable by previous/next')
    order += extra
    if out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True)

    ex = exporter()
    bodies, errors = {}, []
    for p in order:
        nb = nbformat.read(p.src, as_version=4)
        fm = read_frontmatter(nb)
        p.title, p.desc = str(fm.get('title', Path(p.nbrel).stem)), str(fm.get('description', '') or '')
        html, res = ex.from_notebook_node(nb, resources=dict(metadata=dict(name=p.title)))
        for e in res.get('errors', []): errors.append(f'{p.nbrel}: a cell in the notebook has an error output:\n{e}')
        bodies[p.url] = site.fix_body(p, html, pages)
    env = Environment(loader=FileSystemLoader(HERE/'template'), autoescape=True)
    tpl = env.get_template('page.html.j2')
    index = []
    for i, p in enumerate(order):
        soup = bodies[p.url]
        toc = [dict(level=int(h.name[1]), id=h['id'], text=h.get_text().rstrip('#').strip())
               for h in soup.find_all(['h2', 'h3'])]
        graph = bool(soup.select('[data-fastflow], .fastflow-editor, script[src$="fastflow.js"]'))
        for s in soup.select('script[src$="fastflow.js"]'): s.extract()  # loaded once, in <head>
        index.append(dict(url=p.url, title=p.title, desc=p.desc, section=p.section or '',
                          headings=[dict(id=t['id'], text=t['text']) for t in toc],
                          text=' '.join(soup.get_text(' ').split())[:20000]))
        page = tpl.render(page=p, body=str(soup), toc=toc, nav=nav, graph=graph and 'fastflow.js' in site.static_files,
                          graph_css=sorted(n for n in site.static_files if n.endswith('.css')),
                          root=rel(p.url, '.'), prev=order[i-1] if i else None, next=order[i+1] if i+1 < len(order) else None,
                          title=cfg.get('title', cfg.lib_name), rel=lambda dst, p=p: rel(p.url, dst), cfg=cfg)
        dst = out/p.url
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(page)
    log(f'rendered {len(order)} pages')

    # assets: ours, the project's styles.css, Pygments, the package's bundles, source pages
    (out/'assets').mkdir()
    for f in ASSETS.iterdir(): shutil.copy2(f, out/'assets'/f.name)
    if (cfg.nbs_path/'styles.css').exists(): shutil.copy2(cfg.nbs_path/'styles.css', out/'assets/styles.css')
    else: (out/'assets/styles.css').write_text('')
    (out/'assets/pygments.css').write_text(HtmlFormatter(style='friendly').get_style_defs('.highlight'))
    if site.static.exists(): shutil.copytree(site.static, out/'static', ignore=shutil.ignore_patterns('*.map'))
    for f in cfg.nbs_path.rglob('*'):  # pictures the notebooks show, at the same place relative to their page
        r = f.relative_to(cfg.nbs_path)
        if f.suffix.lower() in ('.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp') and not any(s.startswith(('_', '.')) for s in r.parts):
            (out/r).parent.mkdir(parents=True, exist_ok=True); shutil.copy2(f, out/r)
    srcs = [p for p in sorted(site.lib.rglob('*.py')) if not p.name.startswith('_') or p.name == '__init__.py']
    src_tpl = env.get_template('source.html.j2')
    for f in srcs:
        r = f.relative_to(site.root).as_posix()
        url = f'src/{r}.html'
        (out/url).parent.mkdir(parents=True, exist_ok=True)
        (out/url).write_text(src_tpl.render(path=r, body=source_page(r, f.read_text()), nav=nav, page=None,
                                            root=rel(url, '.'), title=cfg.get('title', cfg.lib_name),
                                            rel=lambda dst, url=url: rel(url, dst), cfg=cfg))
    # a script, not JSON to fetch: search works from a local server and from file:// alike
    (out/'search-index.js').write_text('window.fastflowSearchIndex = ' + json.dumps(index, ensure_ascii=False) + ';\n')
    (out/'.nojekyll').write_text('')
    site.pages, site.order, site.errors, site.cache = pages, order, errors, cache
    return site
