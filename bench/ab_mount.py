"""A/B of a cold mount between commits: the renderer's main-thread CPU and the wall time, interleaved.

Run: .venv/bin/python bench/ab_mount.py REV [REV ...] [--repeat 12] [--nodes 1000] [--placed]
Each REV (a commit, a branch, or `.` for the working tree) is served by its own server from its own
copy of `fastflow/`; every mount uses this checkout's page and wait (bench_browser.py's: every node
and edge in view drawn), in a fresh tab, the REVs in a new random order each round, so that a
machine getting slower or faster in the meantime weighs on each REV alike. CPU is read from /proc
(Linux), of the renderer's main thread: what the user's page spends, without the machine's steal."""
import argparse, glob, os, random, signal, socket, statistics, subprocess, sys, tarfile, tempfile, time, io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'bench'))
import bench_browser as bb

TCK = os.sysconf('SC_CLK_TCK')

def checkout(rev):
    "A directory holding `fastflow/` as it is at `rev` (`.`: the working tree)"
    if rev == '.': return ROOT
    d = Path(tempfile.mkdtemp(prefix='ab-'))
    tar = subprocess.run(['git', '-C', str(ROOT), 'archive', rev, 'fastflow'], check=True, capture_output=True).stdout
    tarfile.open(fileobj=io.BytesIO(tar)).extractall(d)
    return d

def renderer_cpu():
    "{pid: CPU ms of its main thread} for every Chromium renderer"
    out = {}
    for d in glob.glob('/proc/[0-9]*'):
        try:
            if b'--type=renderer' not in open(f'{d}/cmdline', 'rb').read(): continue
            pid = d.rsplit('/', 1)[1]
            t = open(f'{d}/task/{pid}/stat').read()
            f = t[t.rindex(')') + 2:].split()
            out[pid] = (int(f[11]) + int(f[12])) * 1000 / TCK
        except (OSError, ValueError): pass
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('revs', nargs='+')
    ap.add_argument('--repeat', type=int, default=12)
    ap.add_argument('--nodes', type=int, default=1000)
    ap.add_argument('--placed', action='store_true', help='nodes with positions (default: laid out by the editor)')
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright
    app = Path(tempfile.mkdtemp())/'bench_app.py'
    app.write_text(bb.APP)
    servers, urls = [], []
    try:
        for rev in a.revs:
            port = bb.free_port()
            servers.append(subprocess.Popen([sys.executable, '-m', 'uvicorn', 'bench_app:app', '--host', '127.0.0.1', '--port', str(port),
                                             '--app-dir', str(app.parent), '--log-level', 'warning'], cwd=app.parent,
                                            env={**os.environ, 'PYTHONPATH': str(checkout(rev))}))
            urls.append(f'http://127.0.0.1:{port}')
        for u in urls:
            for _ in range(300):
                try: socket.create_connection(('127.0.0.1', int(u.rsplit(':', 1)[1])), timeout=0.1).close(); break
                except OSError: time.sleep(0.05)
        cpu, wall, rnd = {r: [] for r in a.revs}, {r: [] for r in a.revs}, random.Random(0)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path='/usr/bin/chromium', args=bb.ARGS)
            for _ in range(a.repeat):
                for k in rnd.sample(range(len(a.revs)), len(a.revs)):
                    pg = b.new_page(viewport={'width': 1400, 'height': 800})
                    pg.route(lambda u: not u.startswith('http://127.0.0.1:'), lambda r: r.abort())
                    pg.goto(urls[k] + '/blank'); time.sleep(0.2)
                    before = renderer_cpu()
                    r = pg.evaluate(bb.RENDER, [a.nodes, True, int(a.placed)])
                    after = renderer_cpu(); pg.close()
                    cpu[a.revs[k]].append(max(after[pid] - before[pid] for pid in after if pid in before))
                    wall[a.revs[k]].append(r['mount'])
            b.close()
        what = f'{a.nodes} nodes, {"placed" if a.placed else "laid out by the editor"}, a tab\'s first page, {a.repeat} mounts each'
        print(f'cold mount of {what}:')
        for rev in a.revs:
            print(f'  {rev:>12}: main-thread CPU mean {statistics.mean(cpu[rev]):5.0f} ms, median {statistics.median(cpu[rev]):5.0f} | '
                  f'wall median {statistics.median(wall[rev]):5.0f} ms, best {min(wall[rev]):5.0f}')
        base = a.revs[0]
        for rev in a.revs[1:]:
            print(f'  {rev} / {base}: CPU {statistics.mean(cpu[rev]) / statistics.mean(cpu[base]):.2f}x, wall {statistics.median(wall[rev]) / statistics.median(wall[base]):.2f}x')
    finally:
        for s in servers: s.send_signal(signal.SIGTERM); s.wait(10)

if __name__ == '__main__': main()
