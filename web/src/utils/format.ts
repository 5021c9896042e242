// Display formats used everywhere (UI.md): dates YYYY-MM-DD HH:mm, thousands separators,
// percentages with one decimal. Times from the API are ISO 8601 with +08:00; they are shown in
// Beijing time whatever the browser's zone.

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** "2026-03-01T09:05:00+08:00" -> "2026-03-01 09:05"; empty or invalid -> "—". */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const millis = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(millis)) return '—';
  const d = new Date(millis + BEIJING_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** 350000 -> "350,000"; null -> "—". */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const negative = value < 0;
  const [whole, fraction] = Math.abs(value).toString().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** A ratio 0..1 -> "99.7%" (one decimal); null -> "—". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;
}

/** A date from a date picker -> "2026-03-01T00:00:00+08:00" (start) or 23:59:59 (end). */
export function toIsoDate(date: string | null | undefined, end = false): string | undefined {
  if (!date) return undefined;
  return `${date}T${end ? '23:59:59' : '00:00:00'}+08:00`;
}

/** A phone number for a tel: link: digits, '+' and '-' only. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+-]/g, '')}`;
}

const BROWSERS: [RegExp, string][] = [
  [/MicroMessenger\/(\d+)/, 'WeChat'],
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/(?:HeadlessChrome|Chrome|CriOS)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** A User-Agent header in short: "Chrome 126 · Windows"; unknown parts left out; empty -> "—". */
export function describeUserAgent(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? '').trim();
  if (!ua) return '—';
  const parts: string[] = [];
  for (const [pattern, name] of BROWSERS) {
    const match = ua.match(pattern);
    if (match) {
      parts.push(`${name} ${match[1]}`);
      break;
    }
  }
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua));
  if (system) parts.push(system[1]);
  return parts.length ? parts.join(' · ') : ua.slice(0, 60);
}
