import { jwtVerify, SignJWT } from 'jose';
import type { Viewer } from '../auth/viewer';
import { AGENT_SCOPE } from '../auth/token';

const AUDIENCE = 'hub:attachment';

/** Why a link was refused: expired, or not a link this server signed for that file. */
export type AttachmentLinkRefusal = 'LINK_EXPIRED' | 'LINK_INVALID';

/** Who a verified link was issued to: the reader is re-checked against the ticket on every download. */
export interface AttachmentLinkClaims {
  attachmentId: number;
  subject: string;
  scopes: string[];
}

/**
 * FUP-6: short-lived signed attachment URLs (`/attachments/<id>?token=…`). A link names the file and
 * the reader it was issued to (never a bearer of the file for anyone who has the URL): the download
 * re-reads that reader and applies the same access rule as `ticket(id)` at that moment. Signed with
 * ATTACHMENT_URL_SECRET, its own key.
 */
export class AttachmentLinks {
  constructor(private readonly key: Uint8Array, public publicUrl: string, readonly ttlSeconds: number) {}

  /** The URL for `viewer` (a customer or an agent), valid for `ttlSeconds` from `now`. */
  async urlFor(attachmentId: number, viewer: Viewer, now: Date): Promise<string | null> {
    let subject: string;
    let scopes: string[];
    if (viewer.kind === 'customer') [subject, scopes] = [viewer.accountId, []];
    else if (viewer.kind === 'agent') [subject, scopes] = [viewer.agentId, [AGENT_SCOPE]];
    else return null;
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ att: attachmentId, scope: scopes.join(' ') })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(AUDIENCE)
      .setSubject(subject)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
    return `${this.publicUrl}/attachments/${attachmentId}?token=${token}`;
  }

  /** The claims of a link for `attachmentId`, or why it is refused. */
  async verify(attachmentId: number, token: string, now: Date): Promise<AttachmentLinkClaims | AttachmentLinkRefusal> {
    try {
      const { payload } = await jwtVerify(token, this.key, { audience: AUDIENCE, algorithms: ['HS256'], currentDate: now });
      if (payload.att !== attachmentId || typeof payload.sub !== 'string') return 'LINK_INVALID';
      const scopes = typeof payload.scope === 'string' && payload.scope ? payload.scope.split(' ') : [];
      return { attachmentId, subject: payload.sub, scopes };
    } catch (error) {
      return (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'LINK_EXPIRED' : 'LINK_INVALID';
    }
  }
}
