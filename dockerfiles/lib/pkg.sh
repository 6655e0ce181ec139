#!/usr/bin/env bash
# pkg.sh CONTROL ROOT OUT: builds OUT/<name>_<version>_<arch>.deb from a staging root.
set -euo pipefail
control=$1 root=$2 out=$3
pkg=$(mktemp -d)
cp -a "$root/." "$pkg/"
mkdir -p "$pkg/DEBIAN" "$out"
arch=$(dpkg --print-architecture)
grep -v "^#" "$control" | sed "s/@ARCH@/$arch/" >"$pkg/DEBIAN/control"
if [ -d "$pkg/etc" ]; then
  (cd "$pkg" && find etc -type f | sort | sed 's|^|/|') >"$pkg/DEBIAN/conffiles"
  [ -s "$pkg/DEBIAN/conffiles" ] || rm "$pkg/DEBIAN/conffiles"
fi
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
printf 'Installed-Size: %s\n' "$size" >>"$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 -r md5sum | sed 's| \./| |') >"$pkg/DEBIAN/md5sums"
[ -s "$pkg/DEBIAN/md5sums" ] || rm "$pkg/DEBIAN/md5sums"
name=$(sed -n 's/^Package: //p' "$pkg/DEBIAN/control")
version=$(sed -n 's/^Version: //p' "$pkg/DEBIAN/control")
pkgarch=$(sed -n 's/^Architecture: //p' "$pkg/DEBIAN/control")
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out/${name}_${version}_${pkgarch}.deb"
