import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NodeEventMap } from '../../nodeEvents.ts';
import type { OrdoNode } from '../../ordoNode.ts';
import { partitionLags } from '../partitionLag.ts';
import { countByState } from '../stateIndex.ts';
import { OrderKpis } from './orderKpis.ts';

/** Circuit breaker states exported as one 0/1 series each. */
const BREAKER_STATES = ['closed', 'open', 'halfOpen'] as const;
const APPLY_BUCKETS_S = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1];
const COMMIT_BUCKETS_S = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120];

export interface NodeMetricsOptions {
  /** State of each connector's circuit breaker by connector name, read on scrape. */
  breakers?: Record<string, () => string>;
}

export interface NodeMetrics {
  registry: Registry;
  kpis: OrderKpis;
  /** Unsubscribes from the node's events. */
  close(): void;
}

/**
 * Creates the node's Prometheus metrics in a registry of its own (not
 * prom-client's global one, so several nodes in one process do not collide).
 * Counters follow the node's event stream; lag, outbox depth, breaker states
 * and entity counts are read on scrape. Entity counts cost one pass over the
 * by-state index keys per scrape.
 */
export function createNodeMetrics(node: OrdoNode, options: NodeMetricsOptions = {}): NodeMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ node: node.config.nodeId });

  const applied = new Counter({ name: 'ordo_messages_applied_total', help: 'Inbox messages applied and committed.', registers: [registry] });
  const applySeconds = new Histogram({
    name: 'ordo_apply_seconds_per_message',
    help: 'Time to apply and commit a batch divided by its message count, observed once per batch.',
    buckets: APPLY_BUCKETS_S,
    registers: [registry],
  });
  const commitLatency = new Histogram({
    name: 'ordo_publish_to_commit_seconds',
    help: 'Time from a message\'s JetStream store time to the commit of its batch.',
    buckets: COMMIT_BUCKETS_S,
    registers: [registry],
  });
  const effectsExecuted = new Counter({ name: 'ordo_effects_executed_total', help: 'Effects executed, by kind.', labelNames: ['kind'], registers: [registry] });
  const effectRetries = new Counter({ name: 'ordo_effect_retries_total', help: 'Effect attempts that failed and were scheduled again, by kind.', labelNames: ['kind'], registers: [registry] });
  const effectsParked = new Counter({ name: 'ordo_effects_parked_total', help: 'Effects that failed permanently and were parked in dead letters.', labelNames: ['kind', 'code'], registers: [registry] });
  const deadLetters = new Counter({ name: 'ordo_dead_letters_total', help: 'Inbox messages and CRM events sent to dead letters, by origin and error code.', labelNames: ['origin', 'code'], registers: [registry] });
  const crmExceptions = new Counter({
    name: 'ordo_crm_exceptions_raised_total',
    help: 'crm.exception.raise effects executed, by entity type and reason.',
    labelNames: ['entity_type', 'reason'],
    registers: [registry],
  });

  new Gauge({
    name: 'ordo_partition_lag',
    help: 'Inbox messages stored but not yet applied, per owned partition (read on scrape).',
    labelNames: ['partition'],
    registers: [registry],
    async collect() {
      const lags = await partitionLags(node);
      this.reset();
      for (const [partition, lag] of lags) this.set({ partition: String(partition) }, lag);
    },
  });
  new Gauge({
    name: 'ordo_outbox_depth',
    help: 'Committed effects not yet executed.',
    registers: [registry],
    collect() {
      this.set(node.store.outboxDepth());
    },
  });
  new Gauge({
    name: 'ordo_circuit_breaker_state',
    help: 'Circuit breaker state per connector: 1 for the current state, 0 for the others.',
    labelNames: ['connector', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [connector, readState] of Object.entries(options.breakers ?? {})) {
        const current = readState();
        for (const state of new Set<string>([...BREAKER_STATES, current])) this.set({ connector, state }, state === current ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'ordo_entities',
    help: 'Entities by type and state (read from the by-state index on scrape).',
    labelNames: ['entity_type', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const entityType of node.registry.types()) {
        for (const [state, count] of countByState(node.store, entityType)) this.set({ entity_type: entityType, state }, count);
      }
    },
  });

  const kpis = new OrderKpis(registry, node.store);

  const listeners: { [K in keyof NodeEventMap]?: (...args: NodeEventMap[K]) => void } = {
    batchCommitted: ({ messages, applyMs, latenciesMs }) => {
      applied.inc(messages);
      if (messages > 0) applySeconds.observe(applyMs / messages / 1000);
      for (const latencyMs of latenciesMs) commitLatency.observe(Math.max(0, latencyMs) / 1000);
    },
    entityTransitioned: ({ entityType, key, row }) => kpis.observe(entityType, key, row, Date.now()),
    effectExecuted: ({ entry }) => {
      effectsExecuted.inc({ kind: entry.kind });
      if (entry.kind === 'crm.exception.raise') {
        const reason = typeof entry.params.reason === 'string' ? entry.params.reason : 'unknown';
        crmExceptions.inc({ entity_type: entry.entityType, reason });
      }
    },
    effectRetried: ({ entry }) => effectRetries.inc({ kind: entry.kind }),
    effectParked: ({ entry, code }) => effectsParked.inc({ kind: entry.kind, code }),
    deadLettered: ({ origin, code }) => deadLetters.inc({ origin, code }),
  };
  for (const [name, listener] of Object.entries(listeners)) node.events.on(name as keyof NodeEventMap, listener as never);

  return {
    registry,
    kpis,
    close: () => {
      for (const [name, listener] of Object.entries(listeners)) node.events.off(name as keyof NodeEventMap, listener as never);
    },
  };
}
