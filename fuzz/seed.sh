#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from fixtures/ and ../shared (when present), at run
# time: the seeds are not committed (corpus/ is ignored). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
root=..
shared=../../shared
seed() { # seed TARGET FILE...: copies each file under a name made from its path
  local target=$1
  shift
  mkdir -p "corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] || continue
    name=${f#../}
    name=${name#../}
    cp "$f" "corpus/$target/$(printf '%s' "$name" | tr '/ ' '__')"
  done
}
configs=$(find "$root/fixtures" -name '*.config' -size -512k | sort)
shared_configs=""
if [ -d "$shared" ]; then
  shared_configs=$(find "$shared" -name '*.config' -size -512k 2>/dev/null | sort | head -200)
fi
# shellcheck disable=SC2086
seed xml_roundtrip $configs $shared_configs $(find "$root/fixtures/xml" "$root/fixtures/sessions" -name '*.xml' -type f | sort)
# shellcheck disable=SC2086
seed engine_check $configs $shared_configs
# shellcheck disable=SC2086
seed lint_fix $configs $shared_configs
# shellcheck disable=SC2086
seed xml_edit $configs
schemas=$(find "$root/schema" "$root/fixtures" -name '*.xml' -path '*schema*' -size -512k | sort)
if [ -d "$shared/iis-schema" ]; then
  schemas="$schemas $(find "$shared/iis-schema" -name '*.xml' | sort)"
fi
# shellcheck disable=SC2086
seed schema_load $schemas
# shellcheck disable=SC2046
seed ftp_parsers $(find "$root/fixtures/sessions" -type f -size -64k | sort)
# Hand-written seeds for the line-based targets.
mkdir -p corpus/edit_grammar corpus/engine_transaction corpus/values
printf 'session.max=1000' >corpus/edit_grammar/set
printf "+files[value='index.htm']" >corpus/edit_grammar/add
printf "files[value='a.htm'].value=b.htm" >corpus/edit_grammar/entry
printf 'set config "Default Web Site" -section:asp /session.max:5 /commit:apphost' >corpus/edit_grammar/appcmd
printf 'Default Web Site\nsystem.webServer/asp\napphost\nsession.max=1000\nscriptLanguage=VBScript' >corpus/engine_transaction/asp
printf "Default Web Site/shop\nsystem.webServer/defaultDocument\nsite\n+files[value='a.htm']\n-files[value='Default.htm']" >corpus/engine_transaction/files
printf 'Intranet\nsystem.webServer/asp\nDefault Web Site\nlimits.scriptTimeout=10m' >corpus/engine_transaction/commit
for v in true 4294967295 -5 00:20:00 1.02:03:04 Read,Write Infinite 10m; do
  for k in 0 1 2 3 5 6 7; do printf "\\x0$k%s" "$v" >"corpus/values/$k-$v"; done
done
echo "seeded: $(find corpus -type f | wc -l) files in $(find corpus -mindepth 1 -type d | wc -l) corpora"
