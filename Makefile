# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test lint install clean

$(BIN)/siyu-diag: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/siyu-diag

demo: install
	$(BIN)/siyu-diag demo --out $(OUT)

test: install
	$(BIN)/ruff check siyu_diag tests data
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check siyu_diag tests data
	$(BIN)/ruff format --check siyu_diag tests data

clean:
	rm -rf $(VENV) $(OUT) build dist *.egg-info
