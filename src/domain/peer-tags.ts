import type { TagsMessage } from './messages';
import { isConnected, type Peer } from './peer';
import type { ProtocolContext } from './protocol-context';
import { ownTags, sameTags } from './tag-values';
import type { Tags } from './tags';

/**
 * Owns the rule "Tags": our tags travel in our hello and, when the host
 * changes them, in one `tags` message to every connection; a peer's tags are
 * the last it sent us; a change of a connected peer's tags is `peer_updated`.
 * (The wire schema checks TAG_LIMITS on everything that arrives.)
 */

/** The host replaced our tags: every connection (each has had our hello already) gets the one `tags` message. */
export function setOwnTags(ctx: ProtocolContext, tags: Tags, now: number): void {
  const next = ownTags(tags);
  if (sameTags(next, ctx.tags)) return;
  ctx.tags = next;
  const message: TagsMessage = { v: 1, t: 'tags', tags: next };
  for (const connection of ctx.connections.values()) ctx.out.send(connection, message, now);
}

/** A peer told us its tags (in a hello or a `tags` message); a connected peer whose tags change is reported. */
export function learnTags(ctx: ProtocolContext, peer: Peer, tags: Tags): void {
  if (sameTags(peer.tags, tags)) return;
  peer.tags = tags;
  if (isConnected(peer)) ctx.out.emit({ event: 'peer_updated', peer: peer.id, address: peer.address, tags });
}
