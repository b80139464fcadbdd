export const Random = Symbol('Random');

/** Uniform numbers in [0, 1). A port so that the simulation can seed it. */
export interface Random {
  next(): number;
}
