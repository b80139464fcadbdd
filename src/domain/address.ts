/**
 * A dialable address, `host:port`, with IPv6 hosts in brackets (`[::1]:8080`).
 * Addresses in peer lists come from other peers, so parsing is strict and never throws.
 */
export type Address = string & { readonly __brand: 'Address' };

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const MAX_HOST_LENGTH = 253;
const HOSTNAME_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4_PATTERN = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_PATTERN = /^[0-9A-Fa-f:.]{2,45}$/;

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

export function isValidHost(host: string): boolean {
  if (host.length === 0 || host.length > MAX_HOST_LENGTH) return false;
  if (host.includes(':')) return IPV6_PATTERN.test(host) && host.split(':').length >= 3;
  return IPV4_PATTERN.test(host) || HOSTNAME_PATTERN.test(host);
}

export function splitAddress(text: string): HostPort | undefined {
  if (typeof text !== 'string' || text.length > MAX_HOST_LENGTH + 10) return undefined;
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (!isValidHost(host) || !isValidPort(port)) return undefined;
  return { host, port };
}

export function parseAddress(text: string): Address | undefined {
  const parts = splitAddress(text);
  return parts ? formatAddress(parts.host, parts.port) : undefined;
}

export function formatAddress(host: string, port: number): Address {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `${shown}:${port}` as Address;
}
