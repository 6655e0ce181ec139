#!/usr/bin/env bash
# pkg.sh META ROOT OUT: builds OUT/<name>_<version>_<arch>.deb from a staging root, with what
# Debian policy (and lintian) asks of a binary package: stripped ELF files, a copyright file and
# a changelog. META holds the generated control, copyright, changelog, options and maintainer
# scripts (postinst, prerm, postrm), each starting with a "generated" comment line.
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
STRIP=1
# shellcheck disable=SC1091 # generated next to control
. "$meta/options"
arch=$(dpkg --print-architecture)
uncomment "$meta/control" | sed "s/@ARCH@/$arch/" >"$pkg/DEBIAN/control"
name=$(sed -n 's/^Package: //p' "$pkg/DEBIAN/control")
version=$(sed -n 's/^Version: //p' "$pkg/DEBIAN/control")
pkgarch=$(sed -n 's/^Architecture: //p' "$pkg/DEBIAN/control")

if [ "$STRIP" = 1 ]; then
  while IFS= read -r -d '' f; do
    if [ "$(head -c 4 "$f" | od -An -c | tr -d ' \n')" = '177ELF' ]; then
      strip --strip-unneeded --remove-section=.comment --remove-section=.note "$f"
    fi
  done < <(find "$pkg" -path "$pkg/DEBIAN" -prune -o -type f -print0)
fi

doc="$pkg/usr/share/doc/$name"
mkdir -p "$doc"
uncomment "$meta/copyright" >"$doc/copyright"
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
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
printf 'Installed-Size: %s\n' "$size" >>"$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 -r md5sum | sed 's| \./| |') >"$pkg/DEBIAN/md5sums"
[ -s "$pkg/DEBIAN/md5sums" ] || rm "$pkg/DEBIAN/md5sums"
# Reproducible packages: the same staging root gives the same .deb on any machine and day. Every
# mtime is clamped to SOURCE_DATE_EPOCH, which dpkg-deb also uses for its archive headers. The
# default is a fixed recent date (lintian rejects files dated over 20 years back).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1704067200}
find "$pkg" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0 -r touch -h -d "@$SOURCE_DATE_EPOCH"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out/${name}_${version}_${pkgarch}.deb"
