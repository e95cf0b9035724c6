# fastflow: `make serve` runs the tutorial's pipeline app, `make test` runs every test.
# Both set up what they need first (venvs, Chromium), so they work on a fresh machine.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
RT := .venv-runtime
SERVE := .venv-serve
BIN := $(VENV)/bin
PORT ?= 5001
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup serve test check nbtest pytest runtime-test docs readme docs-check outputs bench fuzz bundle bundle-check clean

$(BIN)/.ready: settings.ini setup.py
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# Debian's Chromium drives the browser tests; the emoji font makes the node icons readable in screenshots.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	 $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null

setup: $(BIN)/.ready /usr/bin/chromium

# `make serve` needs only fastflow and uvicorn: a venv of its own, without the dev tools, holding fastflow as built
# from this clone (rebuilt when the package changes). uvicorn runs the app without its reloader, so nothing the tests
# write into the repository restarts it.
$(SERVE)/.ready: settings.ini setup.py $(wildcard fastflow/*.py fastflow/static/*)
	@test -x $(SERVE)/bin/python || { $(PY) -m venv $(SERVE) && $(SERVE)/bin/pip install -q . uvicorn; }
	$(SERVE)/bin/pip install -q --no-deps --force-reinstall .
	touch $@

serve: $(SERVE)/.ready  ## serve the Python execution tutorial (the spec's Complete Code) on 127.0.0.1:$(PORT)
	@echo "fastflow: the Python execution tutorial's app (examples/python_exec_tutorial.py) on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	$(SERVE)/bin/python -m uvicorn python_exec_tutorial:app --app-dir examples --host 127.0.0.1 --port $(PORT) --log-level warning

# Every test: the notebooks are in step with the package, nbdev_test, pytest, then pytest again in a
# second venv holding only the package on the newest fastcore 2.x / python-fasthtml.
test: setup check nbtest docs-check pytest runtime-test

check: $(BIN)/.ready
	$(BIN)/python tools/check_nbdev.py

nbtest: $(BIN)/.ready
	$(BIN)/nbdev_test --n_workers 2 --timing

# The browser tests load htmx from npm (js/package.json's devDependencies), served by the test app: never a CDN.
JS_DEPS := js/node_modules/.package-lock.json
$(JS_DEPS): js/package.json js/package-lock.json
	cd js && npm ci --no-audit --no-fund
	touch $@

pytest: setup $(JS_DEPS)
	$(BIN)/python -m pytest tests -q -p no:cacheprovider

docs: $(BIN)/.ready  ## build the docs site into _docs/ (offline), with its checks; it prints how to read it
	$(BIN)/python -m tools.docs

readme: $(BIN)/.ready  ## README.md from nbs/index.ipynb (its graph pictures are committed in index_files/)
	$(BIN)/python -m tools.docs --readme -q

# CI: the site builds with no broken link, no undocumented public name, no remote asset,
# and README.md is what nbs/index.ipynb makes of it.
docs-check: readme
	@git diff --quiet -- README.md index_files && [ -z "$$(git status --porcelain -- README.md index_files)" ] \
	 || { echo "README.md is out of step with nbs/index.ipynb: run make readme and commit"; git status --short -- README.md index_files; exit 1; }

outputs: $(BIN)/.ready  ## run the notebooks and save their outputs (for the docs), then clean them
	$(BIN)/python tools/run_nbs.py
	$(BIN)/nbdev_clean

$(RT)/.ready: settings.ini setup.py
	$(PY) -m venv $(RT)
	$(RT)/bin/pip install -q --upgrade pip
	$(RT)/bin/pip install -q ".[dask]" "fastcore>=2" "python-fasthtml>=0.12" pytest pytest-timeout httpx uvicorn playwright psutil hypothesis
	$(RT)/bin/pip install -q --upgrade "fastcore>=2" python-fasthtml
	touch $@

# The runtime venv checks the package on the newest fastcore / python-fasthtml. Suites that test the front ends
# themselves run once, in the dev venv: Jupyter (JupyterLab, Notebook 7, marimo; the widget's unit tests cover it
# without a Jupyter server) and the editor's JavaScript (looks, editing, small breaks, run history in the page),
# whose pages FastHTML renders as the runtime venv's tests of the spec's page, connectExecution, htmx and Flow check.
RT_SKIP := --ignore=test_widget_jupyter.py --ignore=test_three_doors.py --ignore=test_browser_look.py \
           --ignore=test_browser_editing.py --ignore=test_browser_breaks.py --ignore=test_runs_browser.py

runtime-test: $(RT)/.ready /usr/bin/chromium $(JS_DEPS)
	$(RT)/bin/pip install -q --no-deps --force-reinstall . >/dev/null
	$(RT)/bin/python -c "import fastcore, fasthtml; print('runtime venv: fastcore', fastcore.__version__, '/ python-fasthtml', fasthtml.__version__)"
	cd tests && ../$(RT)/bin/python -m pytest . -q -p no:cacheprovider $(RT_SKIP)

bench: setup  ## the engine's and the browser's benchmarks
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python -u bench/bench_browser.py
	$(BIN)/python -u bench/bench_widget.py

# The engine's property test with a long budget (CI runs a fixed, small one as part of pytest).
FUZZ_EXAMPLES ?= 5000
fuzz: $(BIN)/.ready  ## the engine's hypothesis property test, $(FUZZ_EXAMPLES) examples
	FASTFLOW_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_engine_properties.py -q -p no:cacheprovider

bundle:  ## rebuild fastflow/static from js/ (needs npm; the built bundles are committed)
	cd js && npm ci && npm run build

bundle-check: bundle  ## the committed bundles are what the lock file builds
	git diff --exit-code -- fastflow/static

clean:
	rm -rf $(VENV) $(RT) $(SERVE) _docs _proc
