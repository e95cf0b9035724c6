"Shared fixtures: free ports, uvicorn servers stopped by PID, and a Chromium page that allows no outside request."
import os, re, signal, socket, subprocess, sys, time, urllib.request
from pathlib import Path
from urllib.parse import urlparse
import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT/'tests'/'_artifacts'
CHROMIUM = os.environ.get('FASTFLOW_CHROMIUM', '/usr/bin/chromium')
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']
LOOPBACK = {'127.0.0.1', 'localhost', '::1'}

def free_port() -> int:
    "A TCP port on 127.0.0.1 nobody listens on right now"
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

def is_loopback(url: str) -> bool:
    u = urlparse(url)
    return u.scheme in ('data', 'blob', 'about') or (u.hostname or '') in LOOPBACK

class Server:
    "`uvicorn module:app` in a subprocess on 127.0.0.1; its output goes to `self.log`"
    def __init__(self, app_dir, module, app='app', env=None):
        self.port, self.app_dir, self.module = free_port(), Path(app_dir), module
        self.url = f'http://127.0.0.1:{self.port}'
        self.log = self.app_dir/f'{module}.{self.port}.log'
        self._out = open(self.log, 'w')
        self.proc = subprocess.Popen(
            [sys.executable, '-m', 'uvicorn', f'{module}:{app}', '--host', '127.0.0.1', '--port', str(self.port),
             '--app-dir', str(self.app_dir), '--log-level', 'warning'],
            stdout=self._out, stderr=subprocess.STDOUT, cwd=self.app_dir,
            env={**os.environ, 'PYTHONUNBUFFERED': '1', **(env or {})})
        self._wait_up()

    def _wait_up(self, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None: raise RuntimeError(f'server exited:\n{self.output}')
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=0.2): return
            except OSError: time.sleep(0.05)
        self.stop()
        raise RuntimeError(f'server did not start in {timeout}s:\n{self.output}')

    def get(self, path) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as r: return r.read().decode()

    @property
    def output(self) -> str: return self.log.read_text(encoding='utf-8', errors='replace')

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try: self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._out.close()

@pytest.fixture
def serve(tmp_path):
    "`serve(source_code_or_path, module='app')` -> a started `Server`; all are stopped after the test"
    servers = []
    def _serve(src, module='app_under_test', **kw):
        path = tmp_path/f'{module}.py'
        path.write_text(Path(src).read_text(encoding='utf-8') if isinstance(src, Path) else src, encoding='utf-8')
        servers.append(Server(tmp_path, module, **kw))
        return servers[-1]
    yield _serve
    for s in servers: s.stop()

@pytest.fixture(scope='module')  # module: Playwright's sync API holds an event loop while it lives
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()

class PageWatch:
    "What a page did wrong: console errors, uncaught errors, requests to outside hosts"
    def __init__(self, page):
        self.console_errors, self.page_errors, self.outside = [], [], []
        self.allowed_outside = set()  # exact URLs a test expects to be blocked (fast_app's CDN headers)
        page.on('console', self._console)
        page.on('pageerror', lambda e: self.page_errors.append(str(e)))
        page.route(lambda url: not is_loopback(url), self._block)

    def _console(self, msg):
        if msg.type == 'error': self.console_errors.append((msg.text, (msg.location or {}).get('url', '')))

    def _block(self, route):
        self.outside.append(route.request.url)
        route.abort()

    def problems(self) -> list:
        errs = [f'outside request: {u}' for u in self.outside if u not in self.allowed_outside]
        errs += [f'page error: {e}' for e in self.page_errors]
        errs += [f'console error: {t} ({u})' for t, u in self.console_errors
                 if not (u in self.allowed_outside and 'Failed to load resource' in t)]
        return errs

@pytest.fixture
def page(browser):
    "A fresh Chromium page; the test fails if it logs an error or asks for anything outside 127.0.0.1"
    ctx = browser.new_context(viewport={'width': 1280, 'height': 800})
    pg = ctx.new_page()
    pg.watch = PageWatch(pg)
    yield pg
    problems = pg.watch.problems()
    ctx.close()
    assert not problems, '\n'.join(problems)

@pytest.fixture
def new_page(browser):
    "`new_page()` -> another watched page (each in its own browser context)"
    made = []
    def _new():
        ctx = browser.new_context(viewport={'width': 1280, 'height': 800})
        pg = ctx.new_page()
        pg.watch = PageWatch(pg)
        made.append((ctx, pg))
        return pg
    yield _new
    problems = [p for _, pg in made for p in pg.watch.problems()]
    for ctx, _ in made: ctx.close()
    assert not problems, '\n'.join(problems)

def cdn_urls(html: str) -> set:
    "The outside URLs a page's <head> loads (fast_app's default headers)"
    head = html.split('</head>')[0]
    return set(re.findall(r'''(?:src|href)=["'](https?://[^"']+)["']''', head))

def screenshot(page, name) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS/f'{name}.png'
    page.screenshot(path=str(path))
    return path
