// Changelog dates (YYYY-MM-DD in a spec) as Debian and RPM changelogs write them.

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The day a spec's changelog date names, at midnight UTC; undefined if it is not a date. */
function day(date: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const dd = (d: Date) => String(d.getUTCDate()).padStart(2, "0");

/** RFC 2822 at midnight UTC (`Mon, 04 Mar 2024 00:00:00 +0000`), as Debian changelogs want it. */
export function debianDate(date: string): string | undefined {
  const d = day(date);
  return d && `${DAYS[d.getUTCDay()]}, ${dd(d)} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} 00:00:00 +0000`;
}

/** `Mon Mar 04 2024`, as RPM's %changelog wants it; the epoch when it is not a date. */
export function rpmDate(date: string): string {
  const d = day(date) ?? new Date(0);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${dd(d)} ${d.getUTCFullYear()}`;
}
