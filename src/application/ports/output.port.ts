import type { NodeEvent } from '../../domain/events';

export const Output = Symbol('Output');

/** Where events go for people and programs (stdout in the CLI). Must not block or throw. */
export interface Output {
  emit(event: NodeEvent, at: Date): void;
}
