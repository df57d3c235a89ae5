# The two commands of the README. Both prepare the machine and .venv first.
SHELL := /bin/bash
VENV := .venv
HEADLESS := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),,1)

.PHONY: setup run lint test test-instants screenshots bench po clean

setup:
	@tools/bootstrap.sh

run: setup
ifeq ($(HEADLESS),1)
	@echo "No display found: running headless (SDL dummy driver)."
	@echo "The live screenshot is written to $(CURDIR)/.run/live.png (refreshed as the screen changes)."
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(VENV)/bin/kiosk run --demo --windowed --live-screenshot .run/live.png
else
	$(VENV)/bin/kiosk run --demo --windowed
endif

# ruff (style, imports, likely bugs) and mypy strict on the shipped packages.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Lint, then the whole suite, then the tests that start the reference server again at two instants
# that break date code: the night Paris changes clocks, and New Year's Eve. Four workers on two cores:
# most tests spend their time waiting (sockets, child processes, timers), not computing.
test: lint
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(VENV)/bin/python -m pytest -q -n 4 --durations=10
	$(MAKE) --no-print-directory test-instants

test-instants: setup
	KIOSK_TEST_NOW=2027-03-28T01:30:00Z SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
		$(VENV)/bin/python -m pytest -q -n 2 -m 'reference_server and not fleet'
	KIOSK_TEST_NOW=2026-12-31T23:50:00+01:00 SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
		$(VENV)/bin/python -m pytest -q -n 2 -m 'reference_server and not fleet'

screenshots: setup
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(VENV)/bin/kiosk screenshots --out docs/screenshots

bench: setup
	$(VENV)/bin/kiosk bench

# Re-extract translatable strings and merge them into the catalogs.
po: setup
	$(VENV)/bin/python -m kiosk.devtools.i18n_compile --extract

clean:
	rm -rf $(VENV) .run .pytest_cache
