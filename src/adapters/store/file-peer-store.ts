import { inject, injectable } from 'inversify';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PeerStore, StoredPeer } from '../../application/ports/peer-store.port';
import type { Identity } from '../../domain/identity';
import { PeerStoreError } from './peer-store.error';
import { decodePeersDocument, encodePeersDocument } from './peers-document';
import { writeFileAtomically } from './write-file-atomically';

/**
 * Peers come from the network, so the store is bounded: when full, the least
 * recently seen is forgotten. 4096 is far above any mesh a full-mesh node can
 * hold open, and keeps the file under a megabyte.
 */
export const MAX_STORED_PEERS = 4096;

export const PEERS_FILE_NAME = 'peers.json';

/** The data dir that holds `peers.json`, bound in the container under this token. */
export const PeerStoreDirectory = Symbol('PeerStoreDirectory');

// Pins are not secret, but they decide whom we trust: only the owner may read or change them.
const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * The peer store as `peers.json` in a data directory that belongs to one node
 * at a time. Changes live in memory until `flush`, which replaces the file
 * atomically. A file that exists but cannot be used is reported, never
 * overwritten: it holds the pins.
 */
@injectable()
export class FilePeerStore implements PeerStore {
  private readonly directory: string;
  private readonly file: string;
  private readonly peers = new Map<Identity, StoredPeer>();
  /** Forgotten before the file was read, so that reading it does not bring them back. */
  private readonly forgottenBeforeLoad = new Set<Identity>();
  private loading: Promise<void> | undefined;
  private loaded = false;
  /** Counts changes; the file holds every change up to `flushedChanges`. */
  private changes = 0;
  private flushedChanges = 0;
  private runningWrite: Promise<void> | undefined;
  private queuedWrite: Promise<void> | undefined;

  constructor(@inject(PeerStoreDirectory) dataDir: string) {
    this.directory = path.resolve(dataDir);
    this.file = path.join(this.directory, PEERS_FILE_NAME);
  }

  /** Reads the file once; later calls return what is in memory. A missing file is an empty store. */
  async load(): Promise<readonly StoredPeer[]> {
    await this.ensureLoaded();
    return [...this.peers.values()];
  }

  remember(peer: StoredPeer): void {
    const known = this.peers.get(peer.id);
    if (known?.address === peer.address && known.lastSeen === peer.lastSeen) return;
    if (!known && this.peers.size >= MAX_STORED_PEERS) {
      const oldest = this.leastRecentlySeen();
      if (oldest !== undefined) {
        if (oldest.lastSeen > peer.lastSeen) return;
        this.peers.delete(oldest.id);
      }
    }
    // A copy: the caller's object may be mutable whatever its type says.
    this.peers.set(peer.id, { id: peer.id, address: peer.address, lastSeen: peer.lastSeen });
    this.forgottenBeforeLoad.delete(peer.id);
    this.changes += 1;
  }

  forget(id: Identity): void {
    const removed = this.peers.delete(id);
    if (!this.loaded) this.forgottenBeforeLoad.add(id);
    // Before the load we cannot know whether the file holds it: assume it does.
    if (removed || !this.loaded) this.changes += 1;
  }

  /**
   * Writes are serialised: a flush during a write queues exactly one more
   * write, shared by every flush requested meanwhile, which carries all their
   * changes. Nothing is written when nothing changed since the last write.
   */
  flush(): Promise<void> {
    if (this.queuedWrite) return this.queuedWrite;
    if (!this.runningWrite) return this.startWrite();
    const queued = this.runningWrite
      .then(ignore, ignore)
      .then(() => {
        this.queuedWrite = undefined;
        return this.startWrite();
      });
    this.queuedWrite = queued;
    return queued;
  }

  private startWrite(): Promise<void> {
    const write = this.writeIfChanged();
    this.runningWrite = write;
    const settle = (): void => {
      if (this.runningWrite === write) this.runningWrite = undefined;
    };
    write.then(settle, settle);
    return write;
  }

  private async writeIfChanged(): Promise<void> {
    // Never write before the file was read: that would replace the pins it holds.
    await this.ensureLoaded();
    if (this.changes === this.flushedChanges) return;
    const changes = this.changes;
    const text = encodePeersDocument(this.peers.values());
    try {
      await mkdir(this.directory, { recursive: true, mode: DIRECTORY_MODE });
      await writeFileAtomically(this.file, text, FILE_MODE);
    } catch (error) {
      throw PeerStoreError.unwritable(this.file, error);
    }
    this.flushedChanges = changes;
  }

  private ensureLoaded(): Promise<void> {
    if (!this.loading) {
      const loading = this.readAndMerge();
      // A failed read is tried again by the next load or flush (the user may fix the file).
      loading.catch(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  private async readAndMerge(): Promise<void> {
    const stored = await this.readPeers();
    // What was remembered or forgotten meanwhile is newer than the file.
    for (const peer of stored) {
      if (!this.peers.has(peer.id) && !this.forgottenBeforeLoad.has(peer.id)) this.peers.set(peer.id, peer);
    }
    this.forgottenBeforeLoad.clear();
    this.loaded = true;
    this.trimToBound();
  }

  private async readPeers(): Promise<StoredPeer[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw PeerStoreError.unreadable(this.file, error);
    }
    const decoded = decodePeersDocument(text);
    if (!decoded.ok) throw PeerStoreError.unusable(this.file, decoded.kind, decoded.problem, decoded.cause);
    return decoded.peers;
  }

  /** A file written with a larger bound, or merged with changes made before the load, may hold too many. */
  private trimToBound(): void {
    if (this.peers.size <= MAX_STORED_PEERS) return;
    const newestFirst = [...this.peers.values()].sort((a, b) => b.lastSeen - a.lastSeen);
    for (const peer of newestFirst.slice(MAX_STORED_PEERS)) this.peers.delete(peer.id);
    this.changes += 1;
  }

  private leastRecentlySeen(): StoredPeer | undefined {
    let oldest: StoredPeer | undefined;
    for (const peer of this.peers.values()) {
      if (!oldest || peer.lastSeen < oldest.lastSeen) oldest = peer;
    }
    return oldest;
  }
}

function ignore(): void {}
