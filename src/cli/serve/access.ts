import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

/** Who may talk to the server: the holder of the token, from a page the server itself served. */
export interface AccessRules {
  readonly token: string;
  readonly cookieName: string;
  /** Host header values we answer to (name:port); anything else may be DNS rebinding. */
  readonly hosts: ReadonlySet<string>;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** The boxed warning printed when the server is reachable from other machines; null on loopback. */
export function nonLoopbackWarning(host: string): string | null {
  if (isLoopback(host)) return null;
  const where = isWildcard(host) ? 'on every network interface' : `on ${host}`;
  const lines = [
    `WARNING: Smallset Studio listens ${where}: other machines can reach it.`,
    'Anyone on that network who gets the token URL can read your library and label your images.',
    'The connection is plain HTTP: prefer --host 127.0.0.1 with an SSH tunnel (ssh -L) for remote use.',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '!'.repeat(width + 4);
  return `\n${bar}\n${lines.map((l) => `! ${l.padEnd(width)} !`).join('\n')}\n${bar}\n\n`;
}

/** An address as it appears in a URL or Host header: IPv6 in brackets. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The names a browser may use to reach us: loopback names, the bound host and, on a wildcard bind, this machine's addresses. */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (isWildcard(boundHost)) {
    for (const list of Object.values(os.networkInterfaces())) {
      for (const a of list ?? []) names.add(hostForUrl(a.address));
    }
    const hostname = os.hostname().toLowerCase();
    names.add(hostname);
    if (!hostname.includes('.')) names.add(`${hostname}.local`);
  } else {
    names.add(hostForUrl(boundHost.toLowerCase()));
  }
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${port}`);
    if (port === 80) hosts.add(name);
  }
  return hosts;
}

export function accessRules(boundHost: string, port: number, token = newToken()): AccessRules {
  // Cookies ignore ports, so two servers on one machine each need their own cookie name.
  return { token, cookieName: `smallset-${port}`, hosts: allowedHosts(boundHost, port) };
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie a browser gets in exchange for the token in the printed URL. */
export function sessionCookie(rules: AccessRules): string {
  return `${rules.cookieName}=${rules.token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function hasCredentials(req: IncomingMessage, rules: AccessRules): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return sameSecret(auth.slice(7).trim(), rules.token);
  const value = cookie(req, rules.cookieName);
  return value !== undefined && sameSecret(value, rules.token);
}

export function hostAllowed(req: IncomingMessage, rules: AccessRules): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && rules.hosts.has(host);
}

/**
 * Cross-site requests are refused: an Origin must be one of ours, and a browser's
 * Sec-Fetch-Site must say the request came from our own page (or was typed in).
 */
export function originAllowed(req: IncomingMessage, rules: AccessRules): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!origin.startsWith('http://')) return false;
    if (!rules.hosts.has(origin.slice('http://'.length).toLowerCase())) return false;
  }
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
