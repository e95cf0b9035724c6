"""Run notebooks and save their outputs in place, so the docs and GitHub show what each cell gives.

usage: python tools/run_nbs.py [NOTEBOOK ...]   (default: every notebook under nbs/)
Cells marked `#| eval: false` are skipped, as `nbdev_test` skips them; a failing cell stops with its traceback.
Afterwards run `nbdev_clean` (the Makefile's `make outputs` does both)."""
import os, re, sys
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

root = Path(__file__).resolve().parent.parent

def _skip(cell): return cell.cell_type != 'code' or bool(re.search(r'^#\|\s*eval:\s*false', cell.source, re.M | re.I))

def run_nb(path:Path):
    path = Path(path).resolve()
    os.environ['IN_TEST'] = '1'
    nb = read_nb(path)
    with working_directory(path.parent): CaptureShell(path).run_all(nb, exc_stop=True, preproc=_skip)
    write_nb(nb, path)

if __name__ == '__main__':
    paths = [Path(p) for p in sys.argv[1:]] or sorted(p for p in (root/'nbs').rglob('*.ipynb')
                                                       if not any(s.startswith(('_', '.')) for s in p.relative_to(root/'nbs').parts))
    for p in paths:
        print(f'running {p}', flush=True)
        run_nb(p)
