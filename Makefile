# The two commands a newcomer needs: `make run` and `make test`. Both set up everything first.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# An intranet machine has no PyPI: `make wheelhouse` on a machine with internet fills wheels/, and with wheels/
# beside it every install here takes packages from there alone (README, 内网部署).
WHEELS := wheels
PIP_SOURCE := $(if $(wildcard $(WHEELS)/*.whl),--no-index --find-links $(WHEELS),)

.PHONY: run test lint clean wheelhouse

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade $(PIP_SOURCE) pip
	$(PY) -m pip install --quiet $(PIP_SOURCE) -e '.[test]'
	touch $@

wheelhouse:
	python3 -m pip download --quiet --dest $(WHEELS) pip 'setuptools>=68' wheel
	python3 -m pip download --quiet --dest $(WHEELS) '.[test]'

run: $(VENV)/.installed
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) .pytest_cache tests/e2e/screenshots
