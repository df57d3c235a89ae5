# The two commands of the README. Both prepare the machine and .venv first.
SHELL := /bin/bash
VENV := .venv
HEADLESS := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY)),,1)

.PHONY: setup run test screenshots bench po clean

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

test: setup
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(VENV)/bin/python -m pytest -q

screenshots: setup
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(VENV)/bin/kiosk screenshots --out docs/screenshots

bench: setup
	$(VENV)/bin/kiosk bench

# Re-extract translatable strings and merge them into the catalogs.
po: setup
	$(VENV)/bin/python -m kiosk.devtools.i18n_compile --extract

clean:
	rm -rf $(VENV) .run .pytest_cache
