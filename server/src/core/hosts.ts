// Host names: the host of a backend URL (also from a template whose known head already holds it), and the RFC 6125
// match of a certificate name such as `*.contoso.com` against a host.
import type { Span } from './types';
import type { Val } from './model';

export interface UrlHost {
  /** The scheme, lowercased: `https`. */
  scheme: string;
  /** The host as written in the URL (IPv6 literals without brackets). */
  host: string;
  /** Where the URL is written. */
  span: Span;
}

/** The scheme and host of a URL value; undefined when the URL is not known far enough to name its host. */
export function urlHostOf(val: Val | undefined): UrlHost | undefined {
  if (!val || !val.span) return undefined;
  const complete = val.kind === 'prim' && typeof val.value === 'string';
  const text = complete ? (val.value as string) : val.kind === 'unknown' ? val.prefix : undefined;
  if (text === undefined) return undefined;
  const m = /^\s*([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#\s]*@)?(\[[^\]/?#\s]*\]|[^:/?#\s[\]]*)/i.exec(text);
  const rest = m ? text.slice(m[0].length) : '';
  // From a template's known head, the host is known only if something after it is known too.
  if (!m || !m[2] || !(/^[:/?#]/.test(rest) || (complete && rest.trim() === ''))) return undefined;
  return { scheme: m[1].toLowerCase(), host: m[2].replace(/^\[|\]$/g, ''), span: val.span };
}

/**
 * Whether a certificate name matches a host as RFC 6125 has it: case-insensitive, a trailing dot ignored, and `*`
 * only as the whole leftmost label, standing for exactly one label (`*.a.com` matches `x.a.com`, not `a.com` nor
 * `y.x.a.com`). A wildcard never matches an IP address.
 */
export function certificateNameMatches(name: string, host: string): boolean {
  const n = normalizeHost(name);
  const h = normalizeHost(host);
  if (n === h) return true;
  if (!n.startsWith('*.') || isIpAddress(h)) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === n.slice(2) && !n.slice(2).includes('*');
}

function normalizeHost(host: string): string {
  return host
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/**
 * Whether a pin's name can name a host at all: a DNS name (its leftmost label may be `*`), an IPv4 address or an
 * IPv6 literal. The pin edit's `<backend host>` placeholder, an empty string or a URL are not.
 */
export function isHostName(name: string): boolean {
  const n = name.trim().replace(/\.$/, '');
  if (n === '' || n.length > 253) return false;
  if (isIpAddress(n)) return /^\d{1,3}(\.\d{1,3}){3}$/.test(n) || /^\[?[0-9a-f:.]+\]?$/i.test(n);
  const labels = n.split('.');
  return labels.every((l, i) => (i === 0 && l === '*' && labels.length > 1) || /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(l));
}
