#!/bin/sh
# The translations are complete and current: po/mxtui.pot holds exactly the texts marked in
# tui/, and po/de.po and po/en.po translate every one of them, none fuzzy (msgfmt --statistics
# says nothing but "N translated messages.").
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxtui-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=P_:1,2 --no-wrap --no-location \
    --sort-output -o "$tmp/now.pot" tui/*.c || exit 1
ids() { msgcat --no-wrap "$1" 2>/dev/null | grep -E '^msgid ' | sort; }
if ! ids "$tmp/now.pot" | cmp -s - "$(ids po/mxtui.pot >"$tmp/old" && echo "$tmp/old")"; then
    echo "po/mxtui.pot is out of date (run make po-update, then translate po/de.po):"
    ids "$tmp/now.pot" | diff "$tmp/old" - | head -20
    status=1
fi
for l in de en; do
    out=$(msgfmt --check --statistics -o /dev/null "po/$l.po" 2>&1)
    case "$out" in
    *"translated message"*)
        if echo "$out" | grep -Eq 'fuzzy|untranslated|warning|error'; then
            echo "po/$l.po: $out"; status=1
        fi ;;
    *) echo "po/$l.po: $out"; status=1 ;;
    esac
    if ! msgcmp "po/$l.po" po/mxtui.pot >"$tmp/cmp" 2>&1; then
        echo "po/$l.po does not cover po/mxtui.pot:"; head -10 "$tmp/cmp"; status=1
    fi
done
[ "$status" = 0 ] && echo "po: $(msgfmt --statistics -o /dev/null po/de.po 2>&1) (de, en)"
exit $status
