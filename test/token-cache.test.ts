import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { createTokenVerifier, TokenError, VERIFIED_TOKEN_TTL_MS } from '../src/auth/token';

// jose's verification, counted: the cache must save it on repeated use and never skip it when it matters
vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>();
  return { ...jose, jwtVerify: vi.fn(jose.jwtVerify) };
});

/** Verified tokens are remembered for a short while (docs/performance.md), never past their expiry. */
describe('verified-token cache', () => {
  const secret = new TextEncoder().encode('s'.repeat(48));
  const start = Date.UTC(2026, 0, 5, 9, 0, 0);
  const sign = (subject: string, expiresInSeconds: number) =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuedAt(start / 1000).setExpirationTime(start / 1000 + expiresInSeconds).sign(secret);

  it('checks a token once, then again after VERIFIED_TOKEN_TTL_MS', async () => {
    let clock = start;
    const verify = createTokenVerifier({ kind: 'secret', secret, generated: false }, { now: () => clock });
    const token = await sign('acc-1', 3600);
    vi.mocked(jwtVerify).mockClear();
    expect((await verify(token)).subject).toBe('acc-1');
    clock = start + VERIFIED_TOKEN_TTL_MS - 1;
    expect((await verify(token)).subject).toBe('acc-1');
    expect(jwtVerify).toHaveBeenCalledTimes(1);
    clock = start + VERIFIED_TOKEN_TTL_MS;
    expect((await verify(token)).subject).toBe('acc-1');
    expect(jwtVerify).toHaveBeenCalledTimes(2);
  });

  it('refuses a remembered token once it has expired, before the TTL would have let it go', async () => {
    let clock = start;
    const verify = createTokenVerifier({ kind: 'secret', secret, generated: false }, { now: () => clock });
    const token = await sign('acc-2', 30);
    expect((await verify(token)).subject).toBe('acc-2');
    clock = start + 29_999;
    expect((await verify(token)).subject).toBe('acc-2');
    clock = start + 30_000;
    await expect(verify(token)).rejects.toBeInstanceOf(TokenError);
  });

  it('never remembers a refusal, and a tampered copy of a remembered token is refused', async () => {
    const verify = createTokenVerifier({ kind: 'secret', secret, generated: false }, { now: () => start });
    const token = await sign('acc-3', 3600);
    expect((await verify(token)).subject).toBe('acc-3');
    const [header, , signature] = token.split('.');
    const forged = [header, Buffer.from(JSON.stringify({ sub: 'acc-admin', iat: start / 1000, exp: start / 1000 + 3600 })).toString('base64url'), signature].join('.');
    vi.mocked(jwtVerify).mockClear();
    await expect(verify(forged)).rejects.toBeInstanceOf(TokenError);
    await expect(verify(forged)).rejects.toBeInstanceOf(TokenError);
    expect(jwtVerify).toHaveBeenCalledTimes(2);
  });

  it('with cacheSize 0 every use is checked', async () => {
    const verify = createTokenVerifier({ kind: 'secret', secret, generated: false }, { now: () => start, cacheSize: 0 });
    const token = await sign('acc-4', 3600);
    vi.mocked(jwtVerify).mockClear();
    await verify(token);
    await verify(token);
    expect(jwtVerify).toHaveBeenCalledTimes(2);
  });
});
