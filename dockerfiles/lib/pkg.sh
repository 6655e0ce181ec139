#!/usr/bin/env bash
# pkg.sh CONTROL COPYRIGHT ROOT OUT: builds OUT/<name>_<version>_<arch>.deb from a staging root,
# with what Debian policy (and lintian) asks of a binary package: stripped ELF files, a copyright
# file and a changelog (Dalec's dummy entry, dated at the epoch, when the spec has none).
set -euo pipefail
control=$1 copyright=$2 root=$3 out=$4
pkg=$(mktemp -d)
cp -a "$root/." "$pkg/"
mkdir -p "$pkg/DEBIAN" "$out"
arch=$(dpkg --print-architecture)
grep -v "^#" "$control" | sed "s/@ARCH@/$arch/" >"$pkg/DEBIAN/control"
name=$(sed -n 's/^Package: //p' "$pkg/DEBIAN/control")
version=$(sed -n 's/^Version: //p' "$pkg/DEBIAN/control")
maintainer=$(sed -n 's/^Maintainer: //p' "$pkg/DEBIAN/control")
pkgarch=$(sed -n 's/^Architecture: //p' "$pkg/DEBIAN/control")

while IFS= read -r -d '' f; do
  if [ "$(head -c 4 "$f" | od -An -c | tr -d ' \n')" = '177ELF' ]; then
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$f"
  fi
done < <(find "$pkg" -path "$pkg/DEBIAN" -prune -o -type f -print0)

doc="$pkg/usr/share/doc/$name"
mkdir -p "$doc"
grep -v "^#" "$copyright" >"$doc/copyright"
printf '%s (%s) unstable; urgency=medium\n\n  * Built by dalec-bake.\n\n -- %s  Thu, 01 Jan 1970 00:00:00 +0000\n' \
  "$name" "$version" "$maintainer" | gzip -9n >"$doc/changelog.Debian.gz"
chmod 0644 "$doc/copyright" "$doc/changelog.Debian.gz"

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
