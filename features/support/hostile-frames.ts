import { createHash } from 'node:crypto';
import { FRAME_HEADER_BYTES } from '../../src/adapters/wire/frame-codec';

/**
 * Peer lists as a hostile peer would craft them: made-up identities at
 * addresses where no machine answers, framed by hand so that no size limit of
 * our own encoder stands in the way.
 */
export function madeUpIdentity(index: number): string {
  return createHash('sha256').update(`made-up peer ${index}`).digest('hex');
}

export function peersFrame(first: number, count: number): Buffer {
  const entries: string[] = [];
  for (let index = first; index < first + count; index += 1) {
    entries.push(`{"id":"${madeUpIdentity(index)}","addr":"10.250.${(index >> 8) & 255}.${index & 255}:8080"}`);
  }
  const body = Buffer.from(`{"v":1,"t":"peers","peers":[${entries.join(',')}],"ask":false}`, 'utf8');
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}
