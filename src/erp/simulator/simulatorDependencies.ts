import type { ErpLedger } from './erpLedger.ts';
import type { FaultInjector } from './faultProfile.ts';
import type { SimulatorStats } from './simulatorStats.ts';

/** Services shared by the simulator's route plugins. */
export interface SimulatorDependencies {
  ledger: ErpLedger;
  faults: FaultInjector;
  stats: SimulatorStats;
  /** Aborted by `close()`, so held (latency and hang) calls end at once. */
  shutdownSignal: AbortSignal;
}
