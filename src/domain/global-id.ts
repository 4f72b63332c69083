/** Encodes a global id; the type name is part of it so ids of different types never collide. */
export function toGlobalId(type: string, localId: string | number): string {
  return Buffer.from(`${type}:${localId}`, 'utf8').toString('base64url');
}
