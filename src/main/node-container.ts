import { Container, type ContainerModule } from 'inversify';
import { MembershipNode } from '../application/membership-node';
import { NodeSettings } from '../application/node-settings';

/**
 * The composition root of one real node: its settings, its use-case, and
 * adapter modules loaded in order, so that a later module may rebind a port
 * an earlier one bound (a host's own adapter over ours). Resolved once, here.
 * (The simulation has its own root, one container per network: see simulation.module.ts.)
 */
export function createMembershipNode(settings: NodeSettings, ...adapters: ContainerModule[]): MembershipNode {
  const container = new Container();
  container.bind(NodeSettings).toConstantValue(settings);
  container.bind(MembershipNode).toSelf().inSingletonScope();
  for (const module of adapters) container.load(module);
  return container.get(MembershipNode);
}
