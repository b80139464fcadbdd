import { inject, injectable } from 'inversify';
import type { NodeCredentials } from '../../application/ports/key-store.port';
import type {
  CloseCause,
  ListenOptions,
  Transport,
  TransportHandlers,
} from '../../application/ports/transport.port';
import { type Address, type HostPort, splitAddress } from '../../domain/address';
import type { ConnectionId } from '../../domain/effects';
import type { Identity } from '../../domain/identity';
import type { Message } from '../../domain/messages';
import { encodeFrame, FrameDecoder } from '../wire/frame-codec';
import type { LinkEnd, LinkFailure } from './link-end';
import { type LinkDialer, type LinkListener, MemoryNetwork } from './memory-network';
import { SimulatedHost } from './process-settings';
import { SimulatedBindError } from './simulated-bind.error';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * The Transport port over the simulated network, for one process on one
 * machine. Frames cross it encoded and decoded by the real wire codec, so
 * the simulation validates like the real network. Handlers are only ever
 * called from the fake clock's queue, never from inside a Transport method.
 * `crash` is a process dying: its connections are reset, nothing is reported.
 */
@injectable()
export class MemoryTransport implements Transport, LinkListener, LinkDialer {
  private handlers: TransportHandlers | undefined;
  private credentials: NodeCredentials | undefined;
  private bound: HostPort | undefined;
  private alive = true;
  /** Open connections, announced through `connected`. */
  private readonly connections = new Map<ConnectionId, LinkEnd>();
  private readonly dialing = new Set<LinkEnd>();
  /**
   * Decodes for every connection that holds no partial frame: whole frames
   * leave no state behind, so a connection needs a decoder of its own only
   * while a frame is split across segments (which raw test peers can do).
   */
  private scratch = new FrameDecoder<Message>();

  constructor(
    @inject(MemoryNetwork) private readonly network: MemoryNetwork,
    /** The machine this process runs on. */
    @inject(SimulatedHost) readonly host: string,
  ) {
    network.addMachine(host);
  }

  get identity(): Identity {
    return (this.credentials as NodeCredentials).identity;
  }

  /** Connections currently open, for assertions on "one connection per pair". */
  openConnections(): readonly LinkEnd[] {
    return [...this.connections.values()];
  }

  async listen(options: ListenOptions, handlers: TransportHandlers): Promise<HostPort> {
    if (this.bound || !this.alive) throw new SimulatedBindError(`${this.host} cannot listen twice`);
    if (!WILDCARD_HOSTS.has(options.host) && options.host !== this.host) {
      throw new SimulatedBindError(`cannot bind ${options.host}: not an address of ${this.host}`);
    }
    this.credentials = options.credentials;
    const port = options.port === 0 ? this.network.freePort(this.host) : options.port;
    if (!this.network.bind(this.host, port, this)) {
      throw new SimulatedBindError(`cannot bind ${this.host}:${port}: address in use`);
    }
    this.handlers = handlers;
    this.bound = { host: this.host, port };
    return { host: options.host, port };
  }

  dial(address: Address): void {
    if (!this.handlers || !this.alive) return;
    const target = splitAddress(address);
    if (target === undefined) {
      this.later((handlers) => handlers.dialFailed(address, { reason: 'unreachable', detail: 'not a host:port address' }));
      return;
    }
    this.dialing.add(this.network.dial(this, address, target.host, target.port));
  }

  send(connection: ConnectionId, message: Message): void {
    const end = this.connections.get(connection);
    if (end === undefined) return;
    let frame: Buffer;
    try {
      frame = encodeFrame(message);
    } catch (error) {
      // A frame the peer would refuse: the connection cannot carry on without it.
      this.closeWith(end, { kind: 'error', detail: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.network.countFrame(frame.length);
    end.send(frame);
  }

  close(connection: ConnectionId): void {
    const end = this.connections.get(connection);
    if (end !== undefined) this.closeWith(end, { kind: 'local', detail: 'closed locally' });
  }

  async shutdown(): Promise<void> {
    this.unbind();
    for (const id of [...this.connections.keys()]) this.close(id);
    for (const end of this.dialing) {
      end.abandon();
      const address = end.dialed as Address;
      this.later((handlers) => handlers.dialFailed(address, { reason: 'unreachable', detail: 'transport shut down' }));
    }
    this.dialing.clear();
  }

  /** The process died: every connection is reset, no handler is called again. */
  crash(): void {
    this.alive = false;
    this.unbind();
    for (const end of this.connections.values()) end.reset();
    for (const end of this.dialing) end.abandon();
    this.connections.clear();
    this.dialing.clear();
  }

  // ---- LinkListener / LinkDialer: called from the fake clock's queue ---------

  accept(end: LinkEnd): void {
    this.connections.set(end.id, end);
    this.handlersOf().connected({ id: end.id, peer: end.remoteIdentity, direction: 'inbound', remoteHost: end.remoteHost });
  }

  opened(end: LinkEnd): void {
    this.dialing.delete(end);
    this.connections.set(end.id, end);
    this.handlersOf().connected({
      id: end.id,
      peer: end.remoteIdentity,
      direction: 'outbound',
      remoteHost: end.remoteHost,
      dialed: end.dialed as Address,
    });
  }

  dialFailed(end: LinkEnd, failure: LinkFailure): void {
    this.dialing.delete(end);
    this.handlersOf().dialFailed(end.dialed as Address, { reason: failure.reason, detail: failure.detail });
  }

  data(end: LinkEnd, bytes: Buffer): void {
    const decoder = end.decoder ?? this.scratch;
    const results = decoder.push(bytes);
    if (decoder === this.scratch && (decoder.bufferedBytes > 0 || results.some((result) => !result.ok))) {
      // A partial frame (or a spent decoder) belongs to this connection from now on.
      end.decoder = decoder;
      this.scratch = new FrameDecoder<Message>();
    }
    for (const result of results) {
      if (!this.connections.has(end.id)) return;
      if (result.ok) {
        this.handlersOf().message(end.id, result.message);
      } else {
        this.connections.delete(end.id);
        end.close();
        this.handlersOf().closed(end.id, { kind: 'protocol', detail: `${result.reason} frame: ${result.detail}` });
      }
    }
  }

  ended(end: LinkEnd, cause: CloseCause): void {
    if (this.connections.delete(end.id)) this.handlersOf().closed(end.id, cause);
  }

  private closeWith(end: LinkEnd, cause: CloseCause): void {
    this.connections.delete(end.id);
    end.close();
    this.later((handlers) => handlers.closed(end.id, cause));
  }

  private unbind(): void {
    if (this.bound) this.network.unbind(this.bound.host, this.bound.port, this);
    this.bound = undefined;
  }

  /** Calls a handler from the clock's queue, never from inside the caller. */
  private later(call: (handlers: TransportHandlers) => void): void {
    this.network.clock.setTimer(0, () => {
      if (this.alive) call(this.handlersOf());
    });
  }

  private handlersOf(): TransportHandlers {
    return this.handlers as TransportHandlers;
  }
}
