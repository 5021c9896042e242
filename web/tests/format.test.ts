import { describe, expect, it } from 'vitest';
import { describeUserAgent, formatDateTime, formatNumber, formatPercent, telHref, toIsoDate } from '@/utils/format';

describe('formatDateTime', () => {
  it.each([
    ['2026-03-01T09:05:00+08:00', '2026-03-01 09:05'],
    ['2026-03-01T01:05:00Z', '2026-03-01 09:05'],
    ['2025-12-31T23:59:59+08:00', '2025-12-31 23:59'],
    ['2025-12-31T16:00:00Z', '2026-01-01 00:00'],
    [null, '—'],
    ['', '—'],
    ['not a date', '—'],
  ])('%s -> %s', (input, expected) => {
    expect(formatDateTime(input)).toBe(expected);
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [350000, '350,000'],
    [8000000, '8,000,000'],
    [-12345, '-12,345'],
    [1234.5, '1,234.5'],
    [null, '—'],
  ])('%s -> %s', (input, expected) => {
    expect(formatNumber(input)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    [1, '100.0%'],
    [0, '0.0%'],
    [4586 / 4600, '99.7%'],
    [0.12345, '12.3%'],
    [0.9995, '100.0%'],
    [undefined, '—'],
  ])('%s -> %s', (input, expected) => {
    expect(formatPercent(input)).toBe(expected);
  });
});

describe('helpers', () => {
  it('builds Beijing-time day bounds', () => {
    expect(toIsoDate('2026-03-01')).toBe('2026-03-01T00:00:00+08:00');
    expect(toIsoDate('2026-03-01', true)).toBe('2026-03-01T23:59:59+08:00');
    expect(toIsoDate(null)).toBeUndefined();
  });
  it('makes tel: links of digits only', () => {
    expect(telHref('023-6396 1234')).toBe('tel:023-63961234');
  });
});

describe('describeUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36', 'Chrome 156 · Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0', 'Edge 126 · Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari 17 · iOS'],
    ['Mozilla/5.0 (Linux; Android 14; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.49', 'WeChat 8 · Android'],
    ['curl/8.5.0', 'curl/8.5.0'],
    ['', '—'],
    [null, '—'],
  ])('%s -> %s', (ua, expected) => {
    expect(describeUserAgent(ua)).toBe(expected);
  });
});
