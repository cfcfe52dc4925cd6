#!/usr/bin/env bash
# Build DigitLab's standalone one-folder bundle (dist/digitlab/) with PyInstaller and smoke-test it.
#
#   bash packaging/build_bundle.sh            # Linux; PYTHON=python3.12 to choose the interpreter
#
# Steps: a throwaway venv in build/bundle/, `pip install . pyinstaller` (a real install, not
# editable, so the bundle holds exactly what a wheel holds), PyInstaller with packaging/digitlab.spec,
# then the bundled `digitlab --version` and `digitlab selftest` (offscreen; also on the X11 plugin
# under Xvfb when xvfb-run is there). Prints the bundle's size and start-up times, and packs
# dist/digitlab-<version>-linux-<arch>.tar.gz. Needs network access to PyPI; no display.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${DIGITLAB_BUILD_DIR:-$ROOT/build/bundle}"
DIST="$ROOT/dist"
PYTHON="${PYTHON:-python3}"
PYINSTALLER_SPEC="${PYINSTALLER_SPEC:-pyinstaller>=6,<7}"

step() { printf '\n== %s\n' "$*"; }
now_ms() { date +%s%3N; }

step "throwaway venv in $BUILD"
rm -rf "$BUILD" "$ROOT/build/lib" "$DIST/digitlab"   # build/lib: setuptools' stale copies
mkdir -p "$BUILD"
"$PYTHON" -m venv "$BUILD/venv"
VENV="$BUILD/venv/bin"
"$VENV/python" -m pip install --quiet --upgrade pip
"$VENV/python" -m pip install --quiet "$ROOT" "$PYINSTALLER_SPEC"
VERSION="$("$VENV/python" -c 'import digitlab; print(digitlab.__version__)')"
echo "DigitLab $VERSION, $("$VENV/pyinstaller" --version | sed 's/^/PyInstaller /')"

step "PyInstaller"
started=$(now_ms)
# Run from the build folder so the source tree's digitlab/ cannot shadow the installed package.
(cd "$BUILD" && "$VENV/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$BUILD/work" "$ROOT/packaging/digitlab.spec")
echo "built in $(( ($(now_ms) - started) / 1000 )) s"
rm -rf "$ROOT/build/lib"

BUNDLE="$DIST/digitlab"
step "smoke test of $BUNDLE"
env -u DISPLAY -u WAYLAND_DISPLAY "$BUNDLE/digitlab" --version
version_times=()
for _ in 1 2 3; do
  started=$(now_ms)
  "$BUNDLE/digitlab" --version >/dev/null
  version_times+=("$(( $(now_ms) - started )) ms")
done
started=$(now_ms)
env -u DISPLAY -u WAYLAND_DISPLAY -u DIGITLAB_MNIST_DIR "$BUNDLE/digitlab" selftest
selftest_ms=$(( $(now_ms) - started ))
if command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a "$BUNDLE/digitlab" selftest --platform xcb
else
  echo "(xvfb-run not found: the X11 plugin was not exercised)"
fi

step "result"
tar -C "$DIST" -czf "$DIST/digitlab-$VERSION-linux-$(uname -m).tar.gz" digitlab
echo "bundle:        $(du -sh "$BUNDLE" | cut -f1)  ($BUNDLE)"
echo "compressed:    $(du -h "$DIST/digitlab-$VERSION-linux-$(uname -m).tar.gz" | cut -f1)  (tar.gz)"
echo "--version:     ${version_times[*]}"
echo "selftest:      ${selftest_ms} ms (start, build the window, load the model, draw and read two digits)"
