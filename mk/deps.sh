#!/bin/sh
# Installs what mxtui needs to build, test and run, and nothing it already has.
# Idempotent: every check is by pkg-config module or command, so a second run does nothing.
# As root it installs with apt-get; otherwise it prints the exact command and fails.
set -eu

# pkg-config module  Debian package
MODULES='
ncursesw        libncurses-dev
libcurl         libcurl4-openssl-dev
libcjson        libcjson-dev
libmicrohttpd   libmicrohttpd-dev
sqlite3         libsqlite3-dev
libsodium       libsodium-dev
libidn2         libidn2-dev
libcares        libc-ares-dev
liboath         liboath-dev
criterion       libcriterion-dev
vterm           libvterm-dev
'

# command  Debian package
COMMANDS='
pkg-config      pkg-config
cc              gcc
make            make
clang           clang
msgfmt          gettext
pdns_server     pdns-server
dig             bind9-dnsutils
oathtool        oathtool
openssl         openssl
rsvg-convert    librsvg2-bin
wrk             wrk
sqlite3         sqlite3
cppcheck        cppcheck
clang-tidy      clang-tidy
clang-format    clang-format
curl            curl
dialog          dialog
whiptail        whiptail
xgettext        gettext
msgen           gettext
'

# Packages with no command or module of their own to look for: file  package
FILES='
/usr/lib/x86_64-linux-gnu/pdns/libgsqlite3backend.so  pdns-backend-sqlite3
/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf   fonts-dejavu-core
'

missing=''
while read -r mod pkg; do
    [ -n "$mod" ] || continue
    pkg-config --exists "$mod" 2>/dev/null || missing="$missing $pkg"
done <<LIST
$MODULES
LIST
while read -r cmd pkg; do
    [ -n "$cmd" ] || continue
    command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done <<LIST
$COMMANDS
LIST
while read -r file pkg; do
    [ -n "$file" ] || continue
    # The multiarch directory differs per architecture; look the backend up wherever it is.
    case "$file" in
    */libgsqlite3backend.so)
        ls /usr/lib/*/pdns/libgsqlite3backend.so >/dev/null 2>&1 || missing="$missing $pkg" ;;
    *) [ -e "$file" ] || missing="$missing $pkg" ;;
    esac
done <<LIST
$FILES
LIST
# libFuzzer's runtime ships apart from clang on Debian.
if command -v clang >/dev/null 2>&1; then
    if ! ls "$(clang -print-resource-dir 2>/dev/null)"/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
        ver=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
        missing="$missing libclang-rt-${ver:-14}-dev"
    fi
else
    missing="$missing libclang-rt-14-dev"
fi

missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ -z "${missing% }" ]; then
    echo "deps: everything is installed"
    exit 0
fi

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing"
if [ "$(id -u)" != 0 ]; then
    echo "deps: missing: $missing" >&2
    echo "deps: run as root:  $cmd" >&2
    exit 1
fi
echo "deps: installing $missing"
# Packaged daemons (pdns-server) must not start system-wide instances: the project starts its own.
policy=/usr/sbin/policy-rc.d
made_policy=''
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
fi
status=0
apt-get update -q || status=$?
[ "$status" = 0 ] && { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing || status=$?; }
[ -n "$made_policy" ] && rm -f "$policy"
exit "$status"
