import { defineParameterType } from '@cucumber/cucumber';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000 };

/** "5 s", "500 ms", "0.5 s", "2 min", "1 h": milliseconds of simulated time. */
defineParameterType({
  name: 'duration',
  regexp: /(\d+(?:\.\d+)?) ?(ms|s|min|h)\b/,
  transformer: (amount: string, unit: string): number => Number(amount) * (UNIT_MS[unit] as number),
});

/** "20 %": a fraction in [0, 1]. */
defineParameterType({
  name: 'percent',
  regexp: /(\d+(?:\.\d+)?) ?%/,
  transformer: (amount: string): number => Number(amount) / 100,
});

const NAME = '[A-Z][A-Za-z0-9]*';

/** A node by name: capitalised (Alice, Bob, N3). */
defineParameterType({ name: 'node', regexp: new RegExp(NAME), transformer: (name: string): string => name });

/** "N1, N2, N3 and Erin": node names. */
defineParameterType({
  name: 'nodes',
  regexp: new RegExp(`${NAME}(?:(?:, | and )${NAME})+`),
  transformer: (list: string): string[] => list.split(/, | and /),
});
