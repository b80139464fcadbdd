import type { Address } from '../domain/address';
import type { Identity } from '../domain/identity';
import type { Member } from '../domain/peer';
import type { Tags } from '../domain/tags';
import type { EventFeed, EventListener } from './event-feed';
import type { MembershipNode } from './membership-node';

/** A member's state as operators see it: a disconnected peer silent for `deadAfter` is dead. */
export type MemberState = 'connected' | 'disconnected' | 'dead' | 'left';

export interface MemberView {
  readonly id: Identity;
  readonly address: Address;
  readonly state: MemberState;
  /** ISO-8601 UTC. */
  readonly lastSeen: string;
  /** Smoothed round trip, for connected peers only. */
  readonly rttMs: number | null;
  readonly tags: Tags;
}

export interface MembersSnapshot {
  readonly self: { readonly id: Identity; readonly address: string; readonly tags: Tags };
  readonly members: readonly MemberView[];
}

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

export interface NodeAdminOptions {
  /** The node's `--dead-after`, in ms. */
  readonly deadAfterMs: number;
  /** Asks the host to stop the node gracefully (the CLI then exits 0). */
  readonly requestLeave: () => void;
}

/**
 * The operator's use-cases on a running node, as the admin API drives them:
 * read the members, follow the events, broadcast, change the tags, leave,
 * tell whether the view has settled. It reads the node, never the protocol.
 */
export class NodeAdmin {
  private leaving = false;

  constructor(
    private readonly node: MembershipNode,
    private readonly feed: EventFeed,
    private readonly options: NodeAdminOptions,
  ) {}

  members(): MembersSnapshot {
    const now = this.node.now();
    const listening = this.node.listening;
    const concrete = listening && !listening.advertise.startsWith('*:') ? listening.advertise : listening?.address;
    return {
      self: { id: listening?.id ?? ('' as Identity), address: concrete ?? '', tags: this.node.tags },
      members: this.node.members().map((member) => this.view(member, now)),
    };
  }

  /** Every event from now on, as the output adapters see it; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    return this.feed.subscribe(listener);
  }

  /** Sends `message` as a ping to every connected peer; returns how many. */
  broadcast(message: string): number {
    const peers = this.node.members().filter((member) => member.state === 'connected').length;
    this.node.broadcast(message);
    return peers;
  }

  /** Replaces this node's tags (the admin API's body schema checked them). */
  setTags(tags: Tags): void {
    this.node.setTags(tags);
  }

  leave(): void {
    if (this.leaving) return;
    this.leaving = true;
    this.options.requestLeave();
  }

  /** Listening, every member neither dead nor left connected, and no dial to a new identity under way. */
  readiness(): Readiness {
    if (this.leaving) return { ready: false, reason: 'leaving' };
    if (!this.node.listening) return { ready: false, reason: 'not listening yet' };
    const now = this.node.now();
    const waiting = this.node.members().filter((member) => {
      const state = this.stateOf(member, now);
      return state === 'disconnected';
    });
    if (waiting.length > 0) return { ready: false, reason: `${waiting.length} of ${this.node.members().length} members not connected yet` };
    const dials = this.node.dialsToNewIdentities();
    if (dials > 0) return { ready: false, reason: `${dials} ${dials === 1 ? 'dial' : 'dials'} to new peers under way` };
    return { ready: true };
  }

  private view(member: Member, now: number): MemberView {
    const state = this.stateOf(member, now);
    return {
      id: member.id,
      address: member.address,
      state,
      lastSeen: new Date(member.lastSeen).toISOString(),
      rttMs: state === 'connected' && member.rttMs !== undefined ? member.rttMs : null,
      tags: member.tags,
    };
  }

  private stateOf(member: Member, now: number): MemberState {
    if (member.state === 'connected' || member.state === 'left') return member.state;
    // A candidate (heard of, never reached) is as good as disconnected until it is reached.
    return now - member.lastSeen >= this.options.deadAfterMs ? 'dead' : 'disconnected';
  }
}
