// planer ships no types: the one function the hub uses (src/mail/inbound.service.ts)
declare module 'planer' {
  /** The reply without the quoted history below it (`text/plain`), or for `text/html` with a DOM document. */
  export function extractFrom(body: string, contentType: 'text/plain'): string;
}
