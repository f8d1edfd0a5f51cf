# Sourced by the bench scripts: bench_section TITLE BODY puts the file BODY under the heading
# "## TITLE" of bench/RESULTS.md, replacing what stood there, leaving the other sections as they
# are, and appends the section when it is new.
bench_section() {
    _title=$1 _body=$2 _results=bench/RESULTS.md
    awk -v body="$_body" -v head="## $_title" '
        /^## / {
            if (insec) insec = 0
            if ($0 == head) {
                print; print ""
                while ((getline line < body) > 0) print line
                print ""
                insec = 1; done = 1; next
            }
        }
        !insec { print }
        END {
            if (!done) {
                print ""; print head; print ""
                while ((getline line < body) > 0) print line
            }
        }' "$_results" >"$_results.tmp"
    mv "$_results.tmp" "$_results"
}
