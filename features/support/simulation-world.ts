import assert from 'node:assert/strict';
import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import type { RawConnection } from '../../src/adapters/simulation/raw-connection';
import type { LogRecord } from '../../src/adapters/simulation/recording-logger';
import type { AddNodeOptions, SimulatedNetwork } from '../../src/adapters/simulation/simulated-network';
import type { SimulatedNode } from '../../src/adapters/simulation/simulated-node';
import type { Identity } from '../../src/domain/identity';
import { createSimulatedNetwork } from '../../src/main/simulation.module';
import { describeEvents } from './node-events';

export interface WorldParameters {
  /** Every scenario runs on this seed: a failure replays exactly. */
  readonly seed: number;
}

/** An instant worth remembering: when a node was killed, stopped, restarted; when the split healed. */
export type Moment = `${'killed' | 'stopped' | 'restarted' | 'started' | 'tagged'}:${string}` | 'healed' | 'split' | 'meshed';

/**
 * One scenario's simulated network and what the steps need around it: names
 * of the instants that matter, the identities nodes had, the hostile
 * participant.
 */
export class SimulationWorld extends World<WorldParameters> {
  readonly network: SimulatedNetwork;
  hostile: RawConnection | undefined;
  /** The two sides of the current or last split. */
  sides: readonly [readonly string[], readonly string[]] = [[], []];
  private readonly moments = new Map<Moment, number>();
  private readonly noted = new Map<string, number>();

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
    this.network = createSimulatedNetwork({ seed: this.parameters.seed });
  }

  node(name: string): SimulatedNode {
    return this.network.node(name);
  }

  now(): number {
    return this.network.now();
  }

  mark(moment: Moment): void {
    this.moments.set(moment, this.now());
  }

  momentOf(moment: Moment): number {
    const at = this.moments.get(moment);
    assert.ok(at !== undefined, `no step marked the moment "${moment}"`);
    return at;
  }

  /** Remembers how often `name` has been dialled so far. */
  noteDialsTo(name: string): void {
    this.noted.set(name, this.network.dialsTo(name));
  }

  dialsToSinceNoted(name: string): number {
    return this.network.dialsTo(name) - (this.noted.get(name) ?? 0);
  }

  async start(name: string, options: AddNodeOptions = {}): Promise<SimulatedNode> {
    const node = await this.network.addNode(name, options);
    this.mark(`started:${name}`);
    return node;
  }

  /** N1 … Ncount, each joining through the one before, `gapMs` of fake time apart. */
  async startChain(count: number, gapMs: number): Promise<void> {
    await this.start('N1');
    for (let index = 2; index <= count; index += 1) {
      this.network.advance(gapMs);
      await this.start(`N${index}`, { joinVia: [`N${index - 1}`] });
    }
  }

  async startFullMesh(count: number): Promise<void> {
    await this.startChain(count, 10);
    this.expectFullMesh(10_000);
  }

  pass(ms: number): void {
    this.network.advance(ms);
  }

  /** Runs the clock until `predicate` holds; fails naming `what` if `withinMs` pass first. */
  within(withinMs: number, what: string, predicate: () => boolean): void {
    const outcome = this.network.runUntil(predicate, withinMs);
    assert.ok(outcome.met, `not within ${withinMs} ms: ${what}`);
  }

  /** Like `within`, for predicates too costly for every instant: checked every `everyMs`. */
  poll(withinMs: number, everyMs: number, what: string, predicate: () => boolean): void {
    for (let waited = 0; !predicate(); waited += everyMs) {
      assert.ok(waited < withinMs, `not within ${withinMs} ms: ${what}`);
      this.network.advance(everyMs);
    }
  }

  /** Every running node connected to every other, by its events and by its member list alike. */
  expectFullMesh(withinMs: number): void {
    const outcome = this.network.runUntil(() => this.network.isFullMesh(), withinMs);
    assert.ok(outcome.met, `no full mesh within ${withinMs} ms:\n${this.network.running().map((n) => describeEvents(n, 8)).join('\n')}`);
    this.expectMembersAgree(this.network.running());
    this.mark('meshed');
  }

  /** Each of `names` connected to each other (a side of a split), by events and member lists. */
  expectGroupMesh(names: readonly string[], withinMs: number): void {
    const group = names.map((name) => this.node(name));
    const meshed = (): boolean => this.network.mesh.isGroupMesh(group);
    this.within(withinMs, `${names.join(', ')} form a full mesh`, meshed);
    this.expectMembersAgree(group);
  }

  connectedMembers(node: SimulatedNode): Set<Identity> {
    return new Set(node.members().filter((member) => member.state === 'connected').map((member) => member.id));
  }

  /** Error records of every node: no scenario expects one, so any fails it. */
  errorRecords(): { node: string; record: LogRecord }[] {
    return this.network.nodes().flatMap((node) =>
      node.logger.records.filter((record) => record.level === 'error').map((record) => ({ node: node.name, record })),
    );
  }

  private expectMembersAgree(group: readonly SimulatedNode[]): void {
    for (const node of group) {
      const others = group.filter((other) => other !== node).map((other) => other.identity).sort();
      const byMembers = [...this.connectedMembers(node)].filter((id) => others.includes(id)).sort();
      const byEvents = [...this.network.mesh.connectedPeers(node.name)].filter((id) => others.includes(id)).sort();
      assert.deepEqual(byMembers, others, `${node.name}'s member list disagrees with the mesh`);
      assert.deepEqual(byEvents, byMembers, `${node.name}'s events disagree with its member list`);
    }
  }
}

setWorldConstructor(SimulationWorld);
