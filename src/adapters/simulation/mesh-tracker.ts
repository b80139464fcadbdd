import type { NodeEvent } from '../../domain/events';
import type { Identity } from '../../domain/identity';

/**
 * Who each node says it is connected to, according to its own events
 * (`peer_connected` adds, `peer_disconnected`, `peer_dead` and `peer_left`
 * remove). It counts the links between running nodes as they change, so that
 * "is it one full mesh?" costs O(1) however often it is asked.
 */
export class MeshTracker {
  private readonly views = new Map<string, Set<Identity>>();
  /** Running nodes: name to identity, and how many running nodes hold each identity. */
  private readonly running = new Map<string, Identity>();
  private readonly runningIds = new Map<Identity, number>();
  /** Pairs (running viewer, running peer in its view). */
  private links = 0;

  /** A node's process is up: it and the links to it count. */
  started(node: string, identity: Identity): void {
    const holders = this.runningIds.get(identity) ?? 0;
    this.running.set(node, identity);
    this.runningIds.set(identity, holders + 1);
    for (const peer of this.viewOf(node)) if (this.runningIds.has(peer)) this.links += 1;
    if (holders === 0) this.countViewersOf(identity, node, +1);
  }

  /** A node's process ended: whatever it said no longer holds, and links to it no longer count. */
  ended(node: string): void {
    const identity = this.running.get(node);
    if (identity === undefined) return;
    for (const peer of this.viewOf(node)) if (this.runningIds.has(peer)) this.links -= 1;
    this.views.delete(node);
    this.running.delete(node);
    const holders = (this.runningIds.get(identity) ?? 1) - 1;
    if (holders > 0) {
      this.runningIds.set(identity, holders);
    } else {
      this.runningIds.delete(identity);
      this.countViewersOf(identity, node, -1);
    }
  }

  observe(node: string, event: NodeEvent): void {
    if (event.event === 'peer_connected') {
      const view = this.viewOf(node);
      if (view.has(event.peer)) return;
      view.add(event.peer);
      if (this.counts(node, event.peer)) this.links += 1;
    } else if (event.event === 'peer_disconnected' || event.event === 'peer_dead' || event.event === 'peer_left') {
      if (this.views.get(node)?.delete(event.peer) && this.counts(node, event.peer)) this.links -= 1;
    }
  }

  /** Whether every running node says it is connected to every other running node. */
  isFullMesh(): boolean {
    const n = this.running.size;
    return this.links === n * (n - 1);
  }

  /** Whether each of `members` says it is connected to each other one (a side of a split). */
  isGroupMesh(members: readonly { readonly name: string; readonly identity: Identity }[]): boolean {
    return members.every((member) => {
      const view = this.views.get(member.name);
      return view !== undefined && members.every((other) => other === member || view.has(other.identity));
    });
  }

  /** Peers the node's events say it is connected to. */
  connectedPeers(node: string): ReadonlySet<Identity> {
    return this.viewOf(node);
  }

  /** Adds `sign` per running node (other than `node`) whose view holds `identity`. */
  private countViewersOf(identity: Identity, node: string, sign: 1 | -1): void {
    for (const [viewer, view] of this.views) {
      if (viewer !== node && this.running.has(viewer) && view.has(identity)) this.links += sign;
    }
  }

  private counts(viewer: string, peer: Identity): boolean {
    return this.running.has(viewer) && this.runningIds.has(peer);
  }

  private viewOf(node: string): Set<Identity> {
    let view = this.views.get(node);
    if (view === undefined) {
      view = new Set();
      this.views.set(node, view);
    }
    return view;
  }
}
