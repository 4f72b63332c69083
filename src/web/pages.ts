import express, { type Express, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder above this file with a package.json (src/web or dist/src/web). */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The bundles of scripts/build-web.ts (`npm run build`). */
export const WEB_DIR = join(packageRoot(__dirname), 'dist', 'web');

/** A demo account's token, offered by the explorer's "Sign in as" (development only). */
export interface DemoToken {
  label: string;
  token: string;
}

export interface WebPagesOptions {
  /** GraphiQL at `GET /graphql` for browsers (development, or HUB_EXPLORER=true). */
  explorer: boolean;
  /** Tokens of the demo accounts, for the explorer (none in production). */
  demoTokens?: () => Promise<DemoToken[]>;
  /** Where the built bundles are (tests may build elsewhere). */
  webDir?: string;
}

/**
 * CSPs that let the pages run and nothing else: their own scripts and styles only (no inline
 * script, no eval, nothing from another origin); GraphiQL and CodeMirror set inline styles, so the
 * explorer allows inline styles; `connect-src 'self'` covers the API over HTTP, SSE and WebSocket.
 */
export const EXPLORER_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
export const STATUS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Display texts of the pages' shells (kept together so they can be translated). */
const TEXT = {
  explorerTitle: 'Customer Success Hub — GraphQL explorer',
  statusTitle: 'Application status',
};

const escapeJsonForHtml = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(res: Response, csp: string, html: string): void {
  res.setHeader('content-security-policy', csp);
  res.setHeader('cache-control', 'no-store');
  res.type('html').send(html);
}

/** A browser asking for a page: HTML preferred over JSON, and no GraphQL request in the URL. */
function wantsPage(req: Request): boolean {
  if (req.query.query !== undefined || req.query.extensions !== undefined) return false;
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

/**
 * The browser pages served by the API: the live status page at `GET /status` (always), and the
 * GraphQL explorer at `GET /graphql` when enabled. Mount before the GraphQL endpoint.
 */
export function mountWebPages(app: Express, opts: WebPagesOptions): void {
  const webDir = opts.webDir ?? WEB_DIR;
  const assets = (folder: string) => express.static(join(webDir, folder), { index: false, maxAge: '5m', fallthrough: false });

  app.use('/web/status', assets('status'));
  app.get('/status', (_req, res) => {
    page(
      res,
      STATUS_CSP,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${TEXT.statusTitle}</title><link rel="stylesheet" href="/web/status/status.css"></head><body><header><h1 id="title">${TEXT.statusTitle}</h1><span id="connection"></span></header><ul id="components"></ul><script src="/web/status/status.js"></script></body></html>`,
    );
  });

  if (!opts.explorer) return;
  app.use('/web/explorer', assets('explorer'));
  app.get('/graphql', async (req, res, next) => {
    if (!wantsPage(req)) return next();
    const tokens = (await opts.demoTokens?.()) ?? [];
    page(
      res,
      EXPLORER_CSP,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${TEXT.explorerTitle}</title><link rel="stylesheet" href="/web/explorer/explorer.css"></head><body><div id="explorer"></div><script type="application/json" id="demo-tokens">${escapeJsonForHtml(tokens)}</script><script src="/web/explorer/explorer.js"></script></body></html>`,
    );
  });
}
