"""`python -m tools.docs [--out DIR] [--no-check] [--cached] [--readme]`: build the docs site offline and check it."""
import argparse, sys, time
from . import build, run_checks

def main(argv=None):
    ap = argparse.ArgumentParser(prog='python -m tools.docs', description=__doc__)
    ap.add_argument('--out', help='output folder (default: doc_path from settings.ini, _docs)')
    ap.add_argument('--no-check', action='store_true', help='skip the link, docs-entry and remote-asset checks')
    ap.add_argument('--cached', action='store_true', help="reuse nbdev's _proc cache for unchanged notebooks")
    ap.add_argument('--readme', action='store_true', help='also write README.md from nbs/index.ipynb')
    ap.add_argument('-q', '--quiet', action='store_true')
    a = ap.parse_args(argv)
    t = time.perf_counter()
    site = build(a.out, force=not a.cached, quiet=a.quiet)
    if not a.no_check:
        errs = run_checks(site)
        if errs:
            print(f'docs: {len(errs)} problem(s) in {site.out}:', *(f'  - {e}' for e in errs), sep='\n', file=sys.stderr)
            return 1
    if a.readme:
        from .readme import write_readme
        cfg = site.cfg
        pages = {p.url: p.nbrel for p in site.order}
        dest = write_readme(site.cache/cfg.get('readme_nb', 'index.ipynb'), cfg.config_path/'README.md', pages,
                            cfg.nbs_path.relative_to(cfg.config_path).as_posix())
        if not a.quiet: print(f'docs: wrote {dest}')
    if not a.quiet:
        print(f'docs: built {site.out} ({len(site.order)} pages) in {time.perf_counter()-t:.1f}s' + ('' if a.no_check else ', checks passed'))
        print(f'docs: to read it, run  python -m http.server 8000 --bind 127.0.0.1 --directory {site.out}  '
              f'and open http://127.0.0.1:8000/ (or open {site.out}/index.html from disk)')
    return 0

if __name__ == '__main__': sys.exit(main())
