#!/usr/bin/env bash
# pkg.sh META ROOT OUT: builds OUT/<name>_<version>_<arch>.deb from a staging root, doing what
# debhelper does for Dalec's packages: dh_strip (ELF executables and shared objects), dh_compress
# (large docs, changelogs), dh_fixperms (then the spec's own permissions), dh_shlibdeps (the
# shared libraries ELF files need become dependencies), a copyright file and a changelog. META
# holds the generated control, copyright, changelog, options and maintainer scripts (postinst,
# prerm, postrm), each starting with a "generated" comment line. Run where the build's
# dependencies are installed, so that dpkg-shlibdeps finds the libraries.
set -euo pipefail
meta=$1 root=$2 out=$3
# The RPM family's pkg folder holds an RPM spec instead of Debian's control files.
if [ -f "$meta/package.spec" ]; then
  exec bash "$(dirname "${BASH_SOURCE[0]}")/rpm.sh" "$meta" "$root" "$out"
fi
pkg=$(mktemp -d)
cp -a "$root/." "$pkg/"
mkdir -p "$pkg/DEBIAN" "$out"
uncomment() { grep -v "^# " "$1"; }
STRIP=1 SHLIBS=1 PERMS=()
# shellcheck disable=SC1091 # generated next to control
. "$meta/options"
arch=$(dpkg --print-architecture)
uncomment "$meta/control" | sed "s/@ARCH@/$arch/" >"$pkg/DEBIAN/control"
name=$(sed -n 's/^Package: //p' "$pkg/DEBIAN/control")
version=$(sed -n 's/^Version: //p' "$pkg/DEBIAN/control")
pkgarch=$(sed -n 's/^Architecture: //p' "$pkg/DEBIAN/control")

# elf_type FILE: 1 relocatable, 2 executable, 3 shared object (or PIE), nothing if not ELF.
elf_type() {
  [ "$(head -c 4 "$1" | od -An -c | tr -d ' \n')" = '177ELF' ] || return 0
  od -An -tu1 -j16 -N1 "$1" | tr -d ' '
}
elves=()
while IFS= read -r -d '' f; do
  case $(elf_type "$f") in 2 | 3) elves+=("$f") ;; esac
done < <(find "$pkg" -path "$pkg/DEBIAN" -prune -o -type f -print0 | sort -z)

if [ "$STRIP" = 1 ]; then
  # As dh_strip: shared libraries lose what they do not need, executables all symbols, static
  # libraries their debugging symbols; other ELF files (objects, modules) stay as they are.
  for f in ${elves[@]+"${elves[@]}"}; do
    case ${f##*/} in
      *.so | *.so.*) strip --remove-section=.comment --remove-section=.note --strip-unneeded "$f" ;;
      *) strip --remove-section=.comment --remove-section=.note "$f" ;;
    esac
  done
  while IFS= read -r -d '' f; do
    strip --strip-debug --remove-section=.comment --remove-section=.note --enable-deterministic-archives "$f"
  done < <(find "$pkg" -path "$pkg/DEBIAN" -prune -o -type f -name 'lib*.a' -print0)
fi

# As dh_compress (debhelper 13.11): man and info pages, and docs over 4 KiB, changelogs and news,
# gzipped (links to them follow), except what is compressed already or read by browsers, and
# the package's examples and _sources folders.
compress=()
while IFS= read -r -d '' f; do compress+=("$f"); done < <(
  cd "$pkg" && {
    # (a missing folder is no error: `|| true`, as errexit reaches into this subshell)
    find usr/share/info usr/share/man -type f ! -iname '*.gz' ! -iname '*.gif' ! -iname '*.png' \
      ! -iname '*.jpg' ! -iname '*.jpeg' -print0 2>/dev/null || true
    find usr/share/doc \( -type d \( -name _sources -o -path "usr/share/doc/$name/examples" \) -prune -false \) -o \
      -type f \( -size +4k -o -name 'changelog*' -o -name 'NEWS*' \) \
      \( -name changelog.html -o ! -iname '*.htm*' \) ! -iname '*.xhtml' ! -iname '*.gif' ! -iname '*.png' \
      ! -iname '*.jpg' ! -iname '*.jpeg' ! -iname '*.gz' ! -iname '*.taz' ! -iname '*.tgz' ! -iname '*.z' \
      ! -iname '*.bz2' ! -iname '*-gz' ! -iname '*-z' ! -iname '*_z' ! -iname '*.epub' ! -iname '*.jar' \
      ! -iname '*.zip' ! -iname '*.odg' ! -iname '*.odp' ! -iname '*.odt' ! -iname .htaccess ! -iname '*.css' \
      ! -iname '*.xz' ! -iname '*.lz' ! -iname '*.lzma' ! -iname '*.haddock' ! -iname '*.hs' ! -iname '*.woff' \
      ! -iname '*.woff2' ! -iname '*.svg' ! -iname '*.svgz' ! -iname '*.js' ! -name index.sgml \
      ! -name objects.inv ! -name '*.map' ! -name '*.devhelp2' ! -name search_index.json ! -name copyright \
      -print0 2>/dev/null || true
    find usr/share/fonts/X11 -type f -name '*.pcf' -print0 2>/dev/null || true
  } | sort -zu
)
for f in ${compress[@]+"${compress[@]}"}; do
  gzip -9nf "$pkg/$f"
  while IFS= read -r -d '' l; do
    ln -sfn "$(readlink "$l").gz" "$l.gz" && rm "$l"
  done < <(find "$pkg" -type l -lname "*${f##*/}" -print0)
done

# As dh_fixperms (debhelper 13.11), then the spec's own permissions (their 0777 bits), as
# Dalec's fix_perms.sh.
find "$pkg" -path "$pkg/DEBIAN" -prune -o ! -type l -exec chmod go=rX,u+rw,a-s {} +
if [ -d "$pkg/usr/share/doc" ]; then
  find "$pkg/usr/share/doc" -type f ! -regex "$pkg/usr/share/doc/[^/]*/examples/.*" -exec chmod 0644 {} +
  find "$pkg/usr/share/doc" -type d -exec chmod 0755 {} +
fi
for d in usr/share/man usr/include usr/share/applications usr/share/lintian/overrides; do
  [ -d "$pkg/$d" ] && find "$pkg/$d" -type f -exec chmod 0644 {} +
done
for d in "$pkg"/usr/share/perl5 "$pkg"/usr/lib/*/perl5; do
  [ -d "$d" ] && find "$d" -type f -perm -5 -name '*.pm' -exec chmod a-X {} +
done
find "$pkg" -path "$pkg/DEBIAN" -prune -o -type f \( -name '*.so.*' -o -name '*.so' -o -name '*.la' -o -name '*.a' \
  -o -name '*.js' -o -name '*.css' -o -name '*.scss' -o -name '*.sass' -o -name '*.jpeg' -o -name '*.jpg' \
  -o -name '*.png' -o -name '*.gif' -o -name '*.cmxs' -o -name '*.node' \) -exec chmod 0644 {} +
for d in usr/bin bin usr/sbin sbin usr/games usr/libexec etc/init.d; do
  [ -d "$pkg/$d" ] && find "$pkg/$d" -type f -exec chmod a+x {} +
done
[ -d "$pkg/usr/lib" ] && find "$pkg/usr/lib" -type f -name '*.ali' -exec chmod uga-w {} +
for f in "$pkg"/usr/lib/nodejs/*/cli.js "$pkg"/usr/lib/nodejs/*/bin.js; do
  [ -f "$f" ] && chmod 0755 "$f"
done
if [ -d "$pkg/usr/share/bug/$name" ]; then
  find "$pkg/usr/share/bug/$name" -type f ! -name script -exec chmod 0644 {} +
  [ -f "$pkg/usr/share/bug/$name/script" ] && chmod 0755 "$pkg/usr/share/bug/$name/script"
elif [ -f "$pkg/usr/share/bug/$name" ]; then
  chmod 0755 "$pkg/usr/share/bug/$name"
fi
[ -d "$pkg/etc/sudoers.d" ] && find "$pkg/etc/sudoers.d" -type f ! -perm 440 -exec chmod 0440 {} +
for p in ${PERMS[@]+"${PERMS[@]}"}; do
  if [ -e "$pkg/${p#* }" ]; then chmod "${p%% *}" "$pkg/${p#* }"; fi
done

# As dh_shlibdeps: the shared libraries the ELF files need, as dependencies (Dalec's
# ${shlibs:Depends}, unless the spec sets disable_auto_requires). Libraries the package ships
# itself are found in it.
if [ "$SHLIBS" = 1 ] && [ ${#elves[@]} -gt 0 ]; then
  work=$(mktemp -d)
  mkdir -p "$work/debian"
  printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$name" "$name" >"$work/debian/control"
  multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || true)
  libdirs=()
  for d in lib usr/lib ${multiarch:+lib/$multiarch usr/lib/$multiarch}; do libdirs+=("-l$pkg/$d"); done
  if found=$(cd "$work" && dpkg-shlibdeps -O --ignore-missing-info "${libdirs[@]}" "${elves[@]}" 2>"$work/err"); then
    shlibs=$(printf '%s\n' "$found" | sed -n 's/^shlibs:Depends=//p')
    if [ -n "$shlibs" ]; then
      control="$pkg/DEBIAN/control"
      given=$(sed -n 's/^Depends: //p' "$control")
      # One relation per package, the stricter kept, as dpkg-gencontrol simplifies them.
      depends=$(perl -MDpkg::Deps -e 'my $d = deps_parse($ARGV[0]); $d->simplify_deps(Dpkg::Deps::KnownFacts->new()); print $d->output()' "${given:+$given, }$shlibs")
      if [ -n "$given" ]; then
        sed -i "s/^Depends: .*/Depends: $depends/" "$control"
      else
        sed -i "s/^Description: /Depends: $depends\n&/" "$control"
      fi
    fi
  else
    echo "dalec-bake: the shared libraries of $name's ELF files could not be worked out (dpkg-shlibdeps); the package depends on none of them:" >&2
    sed 's/^/    /' "$work/err" >&2
  fi
  rm -rf "$work"
fi

# As dh_makeshlibs: a shared object with a versioned SONAME (libfoo.so.1, libfoo-1.2.so) is
# declared in DEBIAN/shlibs, for the packages that link to it, and activates ldconfig, which
# makes its SONAME link when the package is installed.
shlibs_lines=()
declare -A shlibs_seen=()
upstream=${version%-*}
for f in ${elves[@]+"${elves[@]}"}; do
  soname=$(objdump -p "$f" 2>/dev/null | sed -n 's/^ *SONAME *//p' | head -n 1)
  if [[ $soname =~ ^(.*)\.so\.(.+)$ ]] || [[ $soname =~ ^(.*)-([0-9].*)\.so$ ]]; then
    line="${BASH_REMATCH[1]} ${BASH_REMATCH[2]} $name (>= $upstream)"
    if [ -z "${shlibs_seen[$line]:-}" ]; then
      shlibs_seen[$line]=1
      shlibs_lines+=("$line")
    fi
  fi
done
if [ ${#shlibs_lines[@]} -gt 0 ]; then
  printf '%s\n' "${shlibs_lines[@]}" >"$pkg/DEBIAN/shlibs"
  printf 'activate-noawait ldconfig\n' >"$pkg/DEBIAN/triggers"
  chmod 0644 "$pkg/DEBIAN/shlibs" "$pkg/DEBIAN/triggers"
fi

# As dh_installdocs and dh_installchangelogs; a copyright file the spec installs (a license
# named copyright) is kept.
doc="$pkg/usr/share/doc/$name"
mkdir -p "$doc"
[ -e "$doc/copyright" ] || uncomment "$meta/copyright" >"$doc/copyright"
uncomment "$meta/changelog" | gzip -9n >"$doc/changelog.Debian.gz"
chmod 0644 "$doc/copyright" "$doc/changelog.Debian.gz"
for script in postinst prerm postrm; do
  if [ -f "$meta/$script" ]; then
    install -m 0755 "$meta/$script" "$pkg/DEBIAN/$script"
  fi
done

if [ -d "$pkg/etc" ]; then
  (cd "$pkg" && find etc -type f | sort | sed 's|^|/|') >"$pkg/DEBIAN/conffiles"
  [ -s "$pkg/DEBIAN/conffiles" ] || rm "$pkg/DEBIAN/conffiles"
fi
# As dpkg-gencontrol: each file and symlink in KiB rounded up (a hard-linked file once), 1 for
# any other object, over what the package holds when the control file is written.
size=$(find "$pkg" ! -path "$pkg/DEBIAN/control" -printf '%y %s %D:%i %n\n' |
  awk '$1 == "f" || $1 == "l" { if ($4 > 1 && seen[$3]++) next; n += int(($2 + 1023) / 1024); next } { n += 1 } END { print n + 0 }')
printf 'Installed-Size: %s\n' "$size" >>"$pkg/DEBIAN/control"
# As dh_md5sums: every file but the conffiles, whose sums dpkg keeps itself.
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 -r md5sum | sed 's| \./| |') >"$pkg/DEBIAN/md5sums"
if [ -f "$pkg/DEBIAN/conffiles" ]; then
  # a sum line is 32 hex digits, two spaces, then the path
  awk 'NR == FNR { c[substr($0, 2)] = 1; next } !(substr($0, 35) in c)' "$pkg/DEBIAN/conffiles" "$pkg/DEBIAN/md5sums" >"$pkg/DEBIAN/md5sums.new"
  mv "$pkg/DEBIAN/md5sums.new" "$pkg/DEBIAN/md5sums"
fi
[ -s "$pkg/DEBIAN/md5sums" ] || rm "$pkg/DEBIAN/md5sums"
# Reproducible packages: the same staging root gives the same .deb on any machine and day. Every
# mtime is clamped to SOURCE_DATE_EPOCH, which dpkg-deb also uses for its archive headers. The
# default is a fixed recent date (lintian rejects files dated over 20 years back).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1704067200}
find "$pkg" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0 -r touch -h -d "@$SOURCE_DATE_EPOCH"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out/${name}_${version}_${pkgarch}.deb"
