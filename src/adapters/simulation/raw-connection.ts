import { type Address, splitAddress } from '../../domain/address';
import type { Identity } from '../../domain/identity';
import type { Message } from '../../domain/messages';
import { encodeFrame } from '../wire/frame-codec';
import type { LinkEnd } from './link-end';
import type { LinkDialer, MemoryNetwork } from './memory-network';

export type RawConnectionState = 'dialing' | 'open' | 'closed' | 'failed';

/**
 * A participant that speaks the simulated wire directly, for hostile tests:
 * it completes the handshake with its own identity, then writes whatever
 * bytes it likes, and ignores whatever it is sent.
 */
export class RawConnection implements LinkDialer {
  private stateNow: RawConnectionState = 'dialing';
  private readonly end: LinkEnd;

  constructor(
    private readonly network: MemoryNetwork,
    readonly host: string,
    readonly identity: Identity,
    address: Address,
  ) {
    network.addMachine(host);
    const target = splitAddress(address);
    if (target === undefined) throw new RangeError(`not a host:port address: ${address}`);
    this.end = network.dial(this, address, target.host, target.port);
  }

  get state(): RawConnectionState {
    return this.stateNow;
  }

  send(message: Message): void {
    this.write(encodeFrame(message));
  }

  /** Any bytes at all, framed or not. */
  write(bytes: Buffer): void {
    this.network.countFrame(bytes.length);
    this.end.send(bytes);
  }

  close(): void {
    this.end.close();
    if (this.stateNow === 'open') this.stateNow = 'closed';
  }

  opened(): void {
    this.stateNow = 'open';
  }

  /** A hostile peer does not listen to what it is told. */
  data(): void {}

  ended(): void {
    this.stateNow = 'closed';
  }

  dialFailed(): void {
    this.stateNow = 'failed';
  }
}
