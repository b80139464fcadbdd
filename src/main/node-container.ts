import { Container, type ContainerModule } from 'inversify';
import { MembershipNode } from '../application/membership-node';
import { NodeSettings } from '../application/node-settings';

/**
 * The composition root: the node's use-case plus one adapter module (the real
 * network, the simulation, or a host's own). Resolved once, here.
 */
export function createMembershipNode(settings: NodeSettings, adapters: ContainerModule): MembershipNode {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(NodeSettings).toConstantValue(settings);
  container.bind(MembershipNode).toSelf().inSingletonScope();
  container.load(adapters);
  return container.get(MembershipNode);
}
