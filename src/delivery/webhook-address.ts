import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

/**
 * SSRF protection of webhook URLs (docs/webhooks.md). With private URLs not allowed (production),
 * a webhook URL must be `https`, carry no credentials, and every address its host resolves to must
 * be a public unicast address: loopback, private (RFC 1918), link-local, unique-local, CGNAT,
 * multicast, unspecified, reserved and documentation ranges, IPv4-mapped/NAT64/6to4/Teredo forms of
 * any address are refused. The ranges come from `ipaddr.js` (`range() === 'unicast'` is the only
 * accepted one), not from a hand-written list.
 *
 * The check runs at registration and again on every attempt, inside the socket's own DNS lookup
 * (`guardedLookup`), so the address connected to is the address checked: a name that resolved to a
 * public address at registration and to 127.0.0.1 later (DNS rebinding) is refused at send time.
 * Redirects are never followed (node:http does not), so a public endpoint cannot bounce the hub into
 * the private network either.
 */

/** Why a URL or address is refused. */
export class WebhookAddressError extends Error {}

/** Is this literal address public (globally routable unicast)? IPv4-mapped IPv6 is judged as its IPv4. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

/** The URL as a webhook may use it, or why not (syntax and scheme only; addresses are checked by `resolvePublicAddresses`). */
export function checkWebhookUrlSyntax(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookAddressError('not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new WebhookAddressError(allowPrivate ? 'must be an http or https URL' : 'must be an https URL');
  if (url.username || url.password) throw new WebhookAddressError('must not contain credentials');
  if (url.hash) throw new WebhookAddressError('must not contain a fragment');
  return url;
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function lookupAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

/** Resolves the host; every address must be public (unless `allowPrivate`): else `WebhookAddressError`. A failed lookup is a plain Error. */
export async function resolvePublicAddresses(hostname: string, allowPrivate: boolean): Promise<LookupAddress[]> {
  if (isIP(hostname)) {
    if (!allowPrivate && !isPublicAddress(hostname)) throw new WebhookAddressError(`${hostname} is not a public address`);
    return [{ address: hostname, family: isIP(hostname) }];
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(hostname);
  } catch (error) {
    // not a refusal: DNS may answer on the next attempt (registration refuses it all the same)
    throw Object.assign(new Error(`${hostname} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`), { code: (error as NodeJS.ErrnoException).code });
  }
  if (addresses.length === 0) throw new Error(`${hostname} does not resolve`);
  const refused = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
  if (refused) throw new WebhookAddressError(`${hostname} resolves to ${refused.address}, which is not a public address`);
  return addresses;
}

/**
 * The `lookup` of the delivery socket: resolves, refuses non-public addresses, hands the checked
 * ones to the socket. Node calls it with `{ all: true }` when it tries several addresses.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolvePublicAddresses(hostname, allowPrivate).then(
      (addresses) => {
        const family = typeof options === 'object' ? options.family : undefined;
        const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (typeof options === 'object' && options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(Object.assign(error, { code: error.code ?? 'EHOSTUNREACH' }), '', 0),
    );
  };
}
