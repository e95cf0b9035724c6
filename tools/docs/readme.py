"""README.md from the home notebook without Quarto: nbdev's processed `index.ipynb`, nbconvert's Markdown exporter, and
a static SVG picture for each graph (GitHub and PyPI run no JavaScript, so this is where live graphs are impossible)."""
import json, re
from html import escape
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbconvert import MarkdownExporter
from nbconvert.preprocessors import Preprocessor

__all__ = ['graph_svg', 'write_readme']

W, H = 180, 48

def _layout(nodes, edges):
    "Positions for nodes without `x`/`y`: columns by depth in the graph"
    deps = {n['id']: [e['source'] for e in edges if e['target'] == n['id']] for n in nodes}
    depth = {}
    def d(i, seen=()):
        if i not in depth: depth[i] = 0 if i in seen else 1 + max((d(s, seen + (i,)) for s in deps.get(i, [])), default=-1)
        return depth[i]
    rows = {}
    for n in nodes:
        if n.get('x') is None or n.get('y') is None:
            c = d(n['id']); r = rows.setdefault(c, 0); rows[c] += 1
            n['x'], n['y'] = 40 + c * (W + 80), 40 + r * (H + 40)
    return nodes

def graph_svg(spec:dict)->str:
    "A static SVG picture of a graph spec (what `FlowEditor` renders), for places that run no JavaScript"
    nodes = _layout([dict(n) for n in spec.get('nodes', [])], spec.get('edges', []))
    by = {n['id']: n for n in nodes}
    sz = lambda n: (n.get('width') or W, n.get('height') or H)
    x1 = max((n['x'] + sz(n)[0] for n in nodes), default=0) + 40
    y1 = max((n['y'] + sz(n)[1] for n in nodes), default=0) + 40
    x0 = min((n['x'] for n in nodes), default=0) - 40
    y0 = min((n['y'] for n in nodes), default=0) - 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {x1-x0} {y1-y0}" width="{x1-x0}" height="{y1-y0}" '
           f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="13">',
           '<defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
           '<path d="M0,0 L10,5 L0,10 z" fill="#94a3b8"/></marker></defs>',
           f'<rect x="{x0}" y="{y0}" width="{x1-x0}" height="{y1-y0}" fill="#ffffff"/>']
    for e in spec.get('edges', []):
        s, t = by.get(e['source']), by.get(e['target'])
        if not s or not t: continue
        (sw, sh), (tw, th) = sz(s), sz(t)
        ax, ay, bx, by_ = s['x'] + sw, s['y'] + sh / 2, t['x'], t['y'] + th / 2
        mx = (ax + bx) / 2
        col = e.get('color') or '#94a3b8'
        out.append(f'<path d="M{ax},{ay} C{mx},{ay} {mx},{by_} {bx - 2},{by_}" fill="none" stroke="{col}" stroke-width="1.5" marker-end="url(#a)"/>')
        if e.get('label'): out.append(f'<text x="{mx}" y="{(ay + by_) / 2 - 6}" text-anchor="middle" fill="#475569">{escape(e["label"])}</text>')
    for n in nodes:
        w, h = sz(n)
        out.append(f'<rect x="{n["x"]}" y="{n["y"]}" width="{w}" height="{h}" rx="6" fill="#ffffff" stroke="#cbd5e1"/>')
        out.append(f'<rect x="{n["x"]}" y="{n["y"]}" width="4" height="{h}" rx="2" fill="#d9d9d9"/>')
        txt = f'{n.get("icon") or ""}  {n.get("label") or n["id"]}'.strip()
        out.append(f'<text x="{n["x"] + 16}" y="{n["y"] + h / 2 + 4.5}" fill="#374151">{escape(txt)}</text>')
        ins, outs = n.get('inputs', 1), n.get('outputs', 1)
        for k, side in ((ins, 0), (outs, w)):
            k = len(k) if isinstance(k, list) else int(k or 0)
            for i in range(k):
                out.append(f'<circle cx="{n["x"] + side}" cy="{n["y"] + h * (i + 1) / (k + 1)}" r="4" fill="#ffffff" stroke="#94a3b8"/>')
    out.append('</svg>')
    return '\n'.join(out)

class _Pictures(Preprocessor):
    "Replace each FlowEditor output with a picture, written to `files/graph-<id>.svg`"
    def __init__(self, files, **kw): super().__init__(**kw); self.files = files
    def preprocess_cell(self, cell, resources, index):
        for o in cell.get('outputs', []):
            html = o.get('data', {}).get('text/html')
            if not html or 'fastflow-spec' not in html: continue
            md = []
            for s in BeautifulSoup(html, 'html.parser').select('script.fastflow-spec'):
                spec = json.loads(s.string or '{}')
                name = 'graph-' + re.sub(r'[^\w-]', '_', str(spec.get('id', index))) + '.svg'
                self.files.mkdir(parents=True, exist_ok=True)
                (self.files/name).write_text(graph_svg(spec))
                md.append(f'![The graph {spec.get("id", "")}]({self.files.name}/{name})')
            o['data'] = {'text/markdown': '\n\n'.join(md)}
        return cell, resources

def write_readme(proc_nb:Path, dest:Path, doc_prefix:str=''):
    "Write `dest` (README.md) from the processed home notebook, with graph pictures beside it; notebook links go to `doc_prefix`"
    from nbdev.doclinks import _nbpath2html
    from .build import read_frontmatter, QuartoCells
    nb = nbformat.read(proc_nb, as_version=4)
    fm = read_frontmatter(nb)
    files = dest.parent/f'{Path(proc_nb).stem}_files'
    ex = MarkdownExporter()
    ex.register_preprocessor(QuartoCells(), enabled=True)
    from nbconvert.preprocessors import TagRemovePreprocessor
    ex.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={'remove_cell'}, remove_input_tags={'remove_input'},
                                                   remove_all_outputs_tags={'remove_output'}, enabled=True), enabled=True)
    ex.register_preprocessor(_Pictures(files), enabled=True)
    body, _ = ex.from_notebook_node(nb)
    body = re.sub(r'<!-- WARNING: THIS FILE WAS AUTOGENERATED! DO NOT EDIT! -->\s*', '', body)
    if doc_prefix:
        body = re.sub(r'\]\(([^)\s:]+?\.ipynb)(#[^)\s]*)?\)',
                      lambda m: f"]({doc_prefix}{Path(m[1]).parent.joinpath(_nbpath2html(Path(m[1])).name).as_posix()}{m[2] or ''})", body)
    head = f"# {fm.get('title', '')}\n\n" + (f"> {fm['description']}\n\n" if fm.get('description') else '')
    note = '<!-- WARNING: THIS FILE WAS AUTOGENERATED! DO NOT EDIT! Edit nbs/index.ipynb and run `python -m tools.docs --readme`. -->\n\n'
    dest.write_text(note + head + re.sub(r'\n{3,}', '\n\n', body).strip() + '\n')
    return dest
