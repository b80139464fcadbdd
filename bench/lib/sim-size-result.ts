/** One size of the simulation benchmark, as bench/sim-scale.ts writes it to bench/results/sim-scale.json. */
export interface SizeResult {
  readonly nodes: number;
  readonly reachedFullMesh: boolean;
  readonly wallMs: number;
  readonly fakeMsToFullMesh: number;
  readonly framesSent: number;
  readonly bytesSent: number;
  readonly dials: number;
  readonly timersFired: number;
  readonly peakRssMb: number;
}
