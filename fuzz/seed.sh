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
seed lint_real_schema $configs $shared_configs
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
# xdt_transform: a source, a NUL byte, then a transform (each case of fixtures/xdt).
mkdir -p corpus/xdt_transform
for case in "$root"/fixtures/xdt/*/; do
  for t in "$case"transform*.config; do
    [ -f "$case/source.config" ] && [ -f "$t" ] || continue
    { cat "$case/source.config"; printf '\0'; cat "$t"; } >"corpus/xdt_transform/$(basename "$case")-$(basename "$t")"
  done
done
# config_source: applicationHost.config, NUL, source.config, NUL, conf/more.config.
mkdir -p corpus/config_source
declarations='<configSections>
    <sectionGroup name="system.applicationHost">
      <section name="applicationPools" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
    </sectionGroup>
    <sectionGroup name="system.webServer">
      <section name="asp" overrideModeDefault="Allow" />
      <section name="defaultDocument" overrideModeDefault="Allow" />
    </sectionGroup>
    <section name="appSettings" type="System.Configuration.AppSettingsSection, System.Configuration" />
  </configSections>'
sites='<sites>
      <site name="Shop" id="1">
        <application path="/"><virtualDirectory path="/" physicalPath="C:\inetpub\shop" /></application>
      </site>
    </sites>'
apphost() { # apphost BODY: an applicationHost.config with the declarations, the sites and BODY
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n  %s\n  <system.applicationHost>\n    %s\n%s\n</configuration>\n' \
    "$declarations" "$sites" "$1"
}
{
  apphost '  </system.applicationHost>
  <system.webServer>
    <asp configSource="source.config" />
  </system.webServer>
  <appSettings file="conf\more.config" />'
  printf '\0<asp enableParentPaths="true">\n  <session max="10" />\n</asp>\n'
  printf '\0<appSettings>\n  <add key="a" value="b" />\n</appSettings>\n'
} >corpus/config_source/asp-and-appsettings
{
  apphost '    <applicationPools configSource="source.config" />
  </system.applicationHost>
  <location path="Shop">
    <system.webServer>
      <defaultDocument configSource="conf/more.config" />
    </system.webServer>
  </location>'
  printf '\0<applicationPools>\n  <add name="ShopPool" managedPipelineMode="Sideways" />\n</applicationPools>\n'
  printf '\0<defaultDocument enabled="true">\n  <files><add value="index.htm" /></files>\n</defaultDocument>\n'
} >corpus/config_source/pools-and-location
{
  apphost '  </system.applicationHost>
  <location path="Shop">
    <appSettings configSource="source.config" file="more.config" />
    <system.webServer><asp configSource="..\outside.config" /></system.webServer>
  </location>'
  printf '\0<session max="1" />\n'
} >corpus/config_source/refused
# lint_fix_hierarchy: applicationHost.config, NUL, the web.config of C:\site: IIS Express's
# locked authentication sections, with and without the site's <location> tag, and a
# web.config that unlocks in vain.
mkdir -p corpus/lint_fix_hierarchy
express="$root/fixtures/lint/fix/express"
site_apphost=$(sed 's#C:\\src\\WebApplication1#C:\\site#' "$express/applicationHost.config")
site_tag='    <location path="WebApplication1">
        <system.webServer>
            <security>
                <authentication>
                    <anonymousAuthentication enabled="true" userName="IUSR" />
                </authentication>
            </security>
        </system.webServer>
    </location>
</configuration>'
{ printf '%s\n' "$site_apphost"; printf '\0'; cat "$express/site/web.config"; } >corpus/lint_fix_hierarchy/express
{ printf '%s\n' "${site_apphost%</configuration>}$site_tag"; printf '\0'; cat "$express/site/web.config"; } >corpus/lint_fix_hierarchy/express-site-tag
{
  printf '%s\n' "$site_apphost"
  printf '\0<configuration>\n  <location path="." overrideMode="Allow">\n    <system.webServer>\n      <security><authentication><windowsAuthentication enabled="true" /></authentication></security>\n    </system.webServer>\n  </location>\n</configuration>\n'
} >corpus/lint_fix_hierarchy/unlock-in-vain
echo "seeded: $(find corpus -type f | wc -l) files in $(find corpus -mindepth 1 -type d | wc -l) corpora"
