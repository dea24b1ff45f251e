#!/bin/bash
# owacal's two commands on a fresh Debian 12 machine (see README.md):
#   build-aux/setup.sh demo   install what is needed, build, open the demo calendar
#   build-aux/setup.sh test   install what is needed, build, run every test suite; then
#                             build again with clang, ASan, UBSan and libFuzzer
#                             (build-asan/) and run the unit, integration and fuzz
#                             suites there
# Works as root or as a user with sudo. Only Debian's package mirror is needed.
set -euo pipefail

mode=${1:-}
case "$mode" in
  demo|test) ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
source_root=$PWD
build_dir=${OWACAL_BUILD_DIR:-$source_root/build}
asan_dir=${OWACAL_ASAN_BUILD_DIR:-$source_root/build-asan}

# What building and running owacal needs.
build_packages=(
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libgtk-3-dev libwebkit2gtk-4.1-dev libsoup-3.0-dev libcurl4-openssl-dev libkrb5-dev
  libical-dev libsqlite3-dev libldap2-dev libsasl2-dev libsecret-1-dev libxml2-dev libicu-dev libjson-glib-dev gettext
  glib-networking ca-certificates xvfb xauth dbus dbus-x11
)
# The real peers the tests run against, and the validators of data/.
test_packages=(
  python3 openssl curl gdb gsettings-desktop-schemas
  krb5-kdc krb5-admin-server krb5-user libsasl2-modules-gssapi-mit
  apache2 libapache2-mod-auth-gssapi
  slapd ldap-utils libxml2-utils
  gnome-keyring libsecret-tools
  desktop-file-utils appstream libglib2.0-bin xdg-utils sqlite3 xdotool
  librsvg2-common groff-base
  clang libclang-rt-14-dev
)

packages=("${build_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> Installing ${#missing[@]} Debian packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # Services such as slapd and apache2 must not start system-wide: the tests
  # start private instances of their own on loopback. policy-rc.d says so to
  # the packages' install scripts, for the length of this install only.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    own_policy=1
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$own_policy" ]; then
    $sudo rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
fi

echo "==> Building in $build_dir"
if [ ! -f "$build_dir/build.ninja" ]; then
  meson setup "$build_dir" "$source_root" >/dev/null
fi
ninja -C "$build_dir"

if [ "$mode" = demo ]; then
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "==> Opening the demo calendar"
    exec "$build_dir/app/owacal" --demo
  fi
  # No desktop here (a server, a container): show that it works with a picture.
  echo "==> No display: rendering the demo calendar to $build_dir/demo.png"
  NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" dbus-run-session -- \
    "$build_dir/app/owacal" --demo --snapshot "$build_dir/demo.png"
  echo "==> Wrote $build_dir/demo.png"
  exit 0
fi

# The second tree: clang with AddressSanitizer, UndefinedBehaviorSanitizer and
# libFuzzer, for the unit and integration suites (leaks of owacal's code fail
# them; tests/sanitizers/ names the third-party ones) and the fuzz suite (each
# harness 20 s over tests/fuzz/corpus/). UI tests run in the normal tree only.
echo "==> Building with sanitizers and libFuzzer in $asan_dir"
if [ ! -f "$asan_dir/build.ninja" ]; then
  CC=clang meson setup "$asan_dir" "$source_root" -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C "$asan_dir"

echo "==> Running every test suite, then unit, integration and fuzz under the sanitizers"
export NO_AT_BRIDGE=1
# -noreset: by default an X server resets when its last client leaves, and a client that
# connects during the reset gets "cannot open display" (about 1 in 100 when owacal processes
# come and go one after another, as in the UI tests).
exec xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp -noreset" \
  dbus-run-session -- sh -c '
    status=0
    meson test -C "$1" --print-errorlogs --num-processes 2 || status=1
    meson test -C "$2" --print-errorlogs --num-processes 2 --suite unit --suite integration --suite fuzz || status=1
    exit $status' sh "$build_dir" "$asan_dir"
