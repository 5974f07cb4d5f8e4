import { nanos } from '@nats-io/transport-node';
import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { OrdoConfig } from './config.ts';
import {
  CRM_PUBLISH_FILTER,
  DEAD_LETTER_FILTER,
  EVENTS_FILTER,
  INBOX_PUBLISH_FILTER,
  STREAM,
  crmStoredTemplate,
  inboxStoredTemplate,
} from './subjects.ts';

type StreamSettings = Pick<OrdoConfig, 'partitions' | 'replicas' | 'duplicateWindowMs'> & {
  /** The server's `max_payload` in bytes (from the connection's server info). */
  maxPayload: number;
};

/**
 * Room kept between the largest CRM or inbox message and the server's
 * `max_payload`, so that any stored message still fits in a dead letter
 * together with the error headers Ordo adds.
 */
export const DEAD_LETTER_HEADROOM_BYTES = 32 * 1024;

/** Largest message the CRM and inbox streams accept. */
export function maxIngressMessageBytes(maxPayload: number): number {
  return Math.max(1024, maxPayload - DEAD_LETTER_HEADROOM_BYTES);
}

/**
 * Stream configurations. Retention is limits-based with no age limit, so the
 * inbox can be replayed to rebuild any partition; the duplicate window is kept
 * to minutes because the server keeps every message id of the window in memory.
 */
export function streamConfigs(settings: StreamSettings): Array<Partial<StreamConfig> & { name: string; subjects: string[] }> {
  const common = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    num_replicas: settings.replicas,
    duplicate_window: nanos(settings.duplicateWindowMs),
  };

  return [
    {
      ...common,
      name: STREAM.crm,
      description: 'CRM events as published by bridges, filed by partition of the object id.',
      subjects: [CRM_PUBLISH_FILTER],
      subject_transform: { src: CRM_PUBLISH_FILTER, dest: crmStoredTemplate(settings.partitions) },
      max_msg_size: maxIngressMessageBytes(settings.maxPayload),
    },
    {
      ...common,
      name: STREAM.inbox,
      description: 'Entity commands, filed by partition of (entity type, key).',
      subjects: [INBOX_PUBLISH_FILTER],
      subject_transform: { src: INBOX_PUBLISH_FILTER, dest: inboxStoredTemplate(settings.partitions) },
      max_msg_size: maxIngressMessageBytes(settings.maxPayload),
    },
    { ...common, name: STREAM.events, description: 'Domain events for downstream systems and CRM feedback.', subjects: [EVENTS_FILTER] },
    { ...common, name: STREAM.deadLetters, description: 'Messages and effects that could not be applied, with their original bytes.', subjects: [DEAD_LETTER_FILTER] },
  ];
}

/** Creates each stream, or updates it to the current configuration; safe to run on every start. */
export async function ensureStreams(jsm: JetStreamManager, settings: StreamSettings): Promise<void> {
  for (const config of streamConfigs(settings)) {
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
      await jsm.streams.add(config);
    }
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}
