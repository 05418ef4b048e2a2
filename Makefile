# The two commands that matter: `make run` and `make test`. Everything they need is set up here.
PYTHON ?= python3
BOOTSTRAP := .bootstrap
UV_VERSION := 0.13.9
# Use uv from PATH when there is one; otherwise install a pinned uv from PyPI into .bootstrap.
UV := $(or $(shell command -v uv 2>/dev/null),$(BOOTSTRAP)/bin/uv)
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test check lint format bench screenshot clean

# The pip of the Python we were given installs it into a venv made without pip (0.2 s); a venv
# with its own pip (ensurepip: about 5 s more) is made only when that Python has no usable pip.
$(BOOTSTRAP)/bin/uv:
	rm -rf $(BOOTSTRAP)
	{ $(PYTHON) -m venv --without-pip $(BOOTSTRAP) && \
	  $(PYTHON) -m pip --python $(BOOTSTRAP)/bin/python install --quiet "uv==$(UV_VERSION)"; } || \
	{ rm -rf $(BOOTSTRAP) && $(PYTHON) -m venv $(BOOTSTRAP) && \
	  $(BOOTSTRAP)/bin/pip install --quiet "uv==$(UV_VERSION)"; }

# The packages and the project's own modules are compiled to bytecode here, as an installed
# package would be, so a first start does not pay for compiling them (nor does every start where
# PYTHONDONTWRITEBYTECODE is set), nor do four test workers each compile them at once. Left
# out: the dev tools mypy and mypyc (mypy runs compiled), what only single tests import
# (nltk, PIL, playwright), pygments' ~500 lexers, and packages that neither the app nor the
# tests import (a run of the whole suite imports none of their modules; they come with
# trafilatura, nltk, mypy and playwright): a module left out is compiled when it is first
# imported. This takes ~5 s where compiling everything (uv's --compile-bytecode) took 7.9.
UNUSED := dateparser|dateparser_scripts|joblib|tqdm|pathspec|mdit_py_plugins|greenlet|tzdata|packaging
NOT_COMPILED := /site-packages/(mypy|mypyc|nltk|playwright|PIL|$(UNUSED))/|/site-packages/pygments/lexers/(?!__init__|_mapping)
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python $(PYTHON)
	$(VENV)/bin/python -m compileall -qq -j0 -x '$(NOT_COMPILED)' $(VENV)/lib reader corpus annotations
	@touch $@

run: $(VENV)/.synced
	$(VENV)/bin/reader $(ARGS)

# `make test` leaves out the tests marked slow (the full crash-safety runs; their quick versions
# stay in); `make check` runs everything.
# Four workers on two cores: the UI tests spend much of their time waiting (Textual's pilot
# waits after each key, subprocesses, fsync), which the extra workers fill. Measured, the same
# suite: -n 3 204.4 s, -n 4 188.6 s, -n 5 183.2 s (session 27, ~347 CPU-s); later, at ~310
# CPU-s, -n 4 182.6/183.6 s, -n 5 176.7 s, -n 6 172.5/183.5 s, -n 8 192.5 s: within the VM's
# noise, so four, for less memory. Work stealing: a worker that runs out takes tests queued
# for another, so the run does not end with one worker busy on its last long tests while the
# others wait.
test: $(VENV)/.synced
	$(VENV)/bin/pytest -n 4 --dist worksteal -q -m "not slow"

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.synced
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# `make check` also draws new property-test examples each run (READER_HYPOTHESIS_PROFILE, see
# tests/conftest.py); `make test` replays the same ones.
check: lint $(VENV)/.synced
	$(VENV)/bin/mypy
	READER_HYPOTHESIS_PROFILE=explore $(VENV)/bin/pytest -n 4 --dist worksteal -q

bench: $(VENV)/.synced
	$(VENV)/bin/python -m compileall -q reader corpus annotations bench
	$(VENV)/bin/python -m bench $(ARGS)

screenshot: $(VENV)/.synced
	$(VENV)/bin/reader screenshot docs/screenshot.svg --size 120x36

clean:
	rm -rf $(VENV) $(BOOTSTRAP) .pytest_cache .mypy_cache .ruff_cache
