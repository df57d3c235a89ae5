#!/usr/bin/env bash
# Prepare a machine and the project's .venv for `make run` / `make test`.
# System packages come from apt when missing (only as root); otherwise we say
# exactly what to install and stop. Python packages are pinned by constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
missing=()

# Each check: a test that succeeds when the need is met, and the Debian package that meets it.
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf ] \
    || missing+=(fonts-material-design-icons-iconfont)                       # the screens' icons
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v systemd-analyze >/dev/null || missing+=(systemd)
ls /usr/lib/*/libusb-1.0.so.0 >/dev/null 2>&1 || missing+=(libusb-1.0-0)   # USB printers (pyusb)
ls /usr/lib/*/libzbar.so.0 >/dev/null 2>&1 || missing+=(libzbar0)            # the zbar QR decoder (pyzbar)
[ -f /usr/include/xkbcommon/xkbcommon.h ] || missing+=(libxkbcommon-dev)     # HID scanners: pip builds xkbcommon
[ -d /usr/share/X11/xkb/symbols ] || missing+=(xkb-data)                     # keyboard layouts for xkbcommon
[ -d /usr/share/X11/locale ] || missing+=(libx11-data)                       # Compose tables (dead keys)
command -v gcc >/dev/null || missing+=(gcc)                                  # to build xkbcommon's binding
ls /usr/lib/*/libudev.so.1 >/dev/null 2>&1 || missing+=(libudev1)           # hotplug (pyudev)
command -v umockdev-wrapper >/dev/null || missing+=(umockdev)                # hotplug tests: real udev events
ls /usr/lib/*/girepository-1.0/UMockdev-1.0.typelib >/dev/null 2>&1 || missing+=(gir1.2-umockdev-1.0)
command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || missing+=(openssh-server)   # provisioning tests: ssh on loopback
command -v ssh >/dev/null || missing+=(openssh-client)
[ -d /usr/lib/python3/dist-packages/gi ] || missing+=(python3-gi)            # to drive umockdev from Python
"$PYTHON" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || missing+=(python3-dev)

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "bootstrap: installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "bootstrap: missing Debian packages. Install them, then run make again:" >&2
        echo "    sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi

stamp=$VENV/.installed
if [ ! -x $VENV/bin/python ]; then
    "$PYTHON" -m venv $VENV
fi
# Reinstall only when the dependency files changed since the last install.
if [ ! -f $stamp ] || [ pyproject.toml -nt $stamp ] || [ constraints.txt -nt $stamp ]; then
    # "compat" editable mode puts the repository on sys.path with a .pth line; the default
    # import-hook finder costs about 20 ms at every start of the kiosk.
    $VENV/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt \
        --config-settings editable_mode=compat -e '.[test,fleet]'
    touch $stamp
fi
# The hotplug tests drive umockdev through GObject introspection. PyGObject comes from Debian
# (python3-gi): the PyPI releases that build against Debian 12's GLib need meson, cairo headers
# and minutes of compiling. Only its `gi` package is put on the venv's path, not the rest of
# dist-packages, so Debian's copies of other packages never stand in for our pinned ones.
# Its C extension is built for the system's Python minor version, which the venv must share.
sysgi=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/system-gi
if [ ! -e "$sysgi/gi" ]; then
    mkdir -p "$sysgi"
    ln -sfn /usr/lib/python3/dist-packages/gi "$sysgi/gi"
    echo "$sysgi" > "$sysgi.pth"
fi
if ! $VENV/bin/python -c 'import gi; gi.require_version("UMockdev", "1.0"); from gi.repository import UMockdev' 2>/dev/null; then
    echo "bootstrap: Debian's python3-gi does not load in $VENV ($("$VENV/bin/python" -V));" >&2
    echo "    recreate the venv with Debian's python3 (make clean; PYTHON=/usr/bin/python3 make test)." >&2
    exit 1
fi
# Byte-compile our sources now: a terminal must not compile them at each start
# (or at all, if PYTHONDONTWRITEBYTECODE is set or the tree is read-only).
$VENV/bin/python -m compileall -q -j 0 kiosk screens drivers offline_cache provisioning
# Compile the translation catalogs (.po -> .mo) so the app starts without doing it.
$VENV/bin/python -m kiosk.i18n_catalogs
