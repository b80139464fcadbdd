/**
 * The layer rule of DESIGN.md, checked on every `npm test`:
 * domain → nothing outside itself; application → domain, its ports, and
 * inversify's decorators; adapters → never main or cli; only main wires
 * adapters; only cli touches the process.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing outside itself: no node:*, no libraries, no other layer.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-knows-domain-and-ports',
      comment: 'Use-cases see the domain and their own ports; inversify only for its decorators.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { pathNot: ['^src/(domain|application)/', '^node_modules/(inversify|@inversifyjs)/'] },
    },
    {
      name: 'adapters-do-not-know-the-root',
      comment: 'Adapters implement ports; only main knows them, never the reverse.',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(main|cli)/' },
    },
    {
      name: 'only-main-knows-adapters',
      comment: 'The composition root is the one place that picks adapters.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main|adapters)/' },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
