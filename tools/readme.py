"Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which this machine cannot install)."
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
def _directives(src): return {m.group(1) for m in re.finditer(r'^#\|\s*([\w-]+)', src, re.M)}

def readme_md(nb_path=root/'nbs'/'index.ipynb')->str:
    out = []
    for c in json.loads(Path(nb_path).read_text())['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': out.append(src); continue
        if {'hide', 'exporti'} & _directives(src) or re.search(r'^#\|\s*echo:\s*false', src, re.M): continue
        code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
        if code: out.append(f"```python\n{code}\n```")
    return '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    md = readme_md()
    if '--check' in sys.argv:
        if (root/'README.md').read_text() != md: sys.exit('README.md is out of step with nbs/index.ipynb: run `make readme`')
        print('README.md matches nbs/index.ipynb')
    else: (root/'README.md').write_text(md)
