import { ApiClient, pathSegment } from './apiClient.ts';
import type { CliIo } from './cliIo.ts';
import { formatFields, formatTable } from './formatTable.ts';
import { UsageError, parseCommandArgs, positiveInteger, requirePositionals } from './parseCommandArgs.ts';

interface Entity {
  type: string;
  key: string;
  partition: number;
  owner: string | null;
  state: string;
  status: string;
  context: unknown;
  version: number;
  createdAt: string | null;
  updatedAt: string | null;
  acceptedEvents: string[] | null;
  timers: Array<{ timerId: string; dueAt: string | null }>;
  pendingEffects: Array<{ id: string; kind: string; attempts: number }>;
  historyCount: number;
}

interface HistoryRow {
  seq: number;
  eventTime: string | null;
  eventType: string;
  from: string | null;
  to: string;
  outcome: string;
  sender: string | null;
  effects: string[];
  notes: Array<{ note: string }>;
}

export const ENTITY_USAGE = {
  inspect: 'ordo inspect <type> <key> [--json] [--url URL]',
  history: 'ordo history <type> <key> [--limit N] [--before SEQ] [--json] [--url URL]',
  ls: 'ordo ls <type> [--state S] [--older-than 15m] [--limit N] [--cursor C] [--json] [--url URL]',
  stats: 'ordo stats <type> [--json] [--url URL]',
  send: `ordo send <type> <key> <eventType> [--data '{"field":1}'] [--sender NAME] [--idempotency-key K] [--token T] [--json] [--url URL]`,
} as const;

export async function inspectCommand(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, {}, io.env);
  const [type, key] = requirePositionals(parsed, ['type', 'key']);
  const entity = await client(parsed).get<Entity>(`/v1/entities/${pathSegment(type!)}/${pathSegment(key!)}`);
  if (parsed.json) return printJson(io, entity);

  io.stdout(formatFields([
    ['type', entity.type],
    ['key', entity.key],
    ['state', entity.state],
    ...problemFields(entity.context),
    ['status', entity.status],
    ['last inbox seq', entity.version],
    ['partition', entity.partition],
    ['owner', entity.owner ?? '(another node)'],
    ['created', entity.createdAt],
    ['updated', entity.updatedAt],
    ['accepts', entity.acceptedEvents === null ? '(snapshot not restorable)' : entity.acceptedEvents.join(', ')],
    ['history rows', entity.historyCount],
  ]));
  io.stdout(`\ncontext\n${JSON.stringify(entity.context, null, 2)}\n`);
  if (entity.timers.length > 0) io.stdout(`\ntimers\n${formatTable(['TIMER', 'DUE'], entity.timers.map((timer) => [timer.timerId, timer.dueAt]))}`);
  if (entity.pendingEffects.length > 0) {
    io.stdout(`\npending effects\n${formatTable(['ID', 'KIND', 'ATTEMPTS'], entity.pendingEffects.map((effect) => [effect.id, effect.kind, effect.attempts]))}`);
  }
}

// The quote-to-cash machines keep the reason an entity waits for an operator in
// `context.problem`; showing it up front saves reading the whole context.
function problemFields(context: unknown): Array<[string, string]> {
  const problem = (context as { problem?: { reason?: unknown; message?: unknown } } | null)?.problem;
  if (!problem || typeof problem.reason !== 'string') return [];

  const fields: Array<[string, string]> = [['problem', problem.reason]];
  if (typeof problem.message === 'string') fields.push(['problem message', problem.message]);
  return fields;
}

export async function historyCommand(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, { limit: 'string', before: 'string' }, io.env);
  const [type, key] = requirePositionals(parsed, ['type', 'key']);
  const query = new URLSearchParams({ limit: String(positiveInteger(parsed.values, 'limit') ?? 20) });
  const before = positiveInteger(parsed.values, 'before');
  if (before !== undefined) query.set('before', String(before));

  const page = await client(parsed).get<{ items: HistoryRow[]; nextCursor?: number }>(`/v1/entities/${pathSegment(type!)}/${pathSegment(key!)}/history?${query}`);
  if (parsed.json) return printJson(io, page);

  const rows = page.items.map((row) => [
    row.seq, row.eventTime, row.eventType, row.from, row.to, row.outcome, row.sender, [...row.effects, ...row.notes.map((note) => `note:${note.note}`)].join(' '),
  ]);
  io.stdout(formatTable(['SEQ', 'TIME', 'EVENT', 'FROM', 'TO', 'OUTCOME', 'SENDER', 'EFFECTS/NOTES'], rows));
  if (page.nextCursor !== undefined) io.stderr(`(older rows: --before ${page.nextCursor})\n`);
}

export async function listCommand(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, { state: 'string', 'older-than': 'string', limit: 'string', cursor: 'string' }, io.env);
  const [type] = requirePositionals(parsed, ['type']);
  const query = new URLSearchParams({ limit: String(positiveInteger(parsed.values, 'limit') ?? 100) });
  for (const [option, parameter] of [['state', 'state'], ['older-than', 'olderThan'], ['cursor', 'cursor']] as const) {
    const value = parsed.values[option];
    if (typeof value === 'string') query.set(parameter, value);
  }

  const page = await client(parsed).get<{ items: Array<{ key: string; state: string; updatedAt: string | null }>; nextCursor?: string }>(`/v1/entities/${pathSegment(type!)}?${query}`);
  if (parsed.json) return printJson(io, page);

  io.stdout(formatTable(['KEY', 'STATE', 'UPDATED'], page.items.map((item) => [item.key, item.state, item.updatedAt])));
  if (page.nextCursor !== undefined) io.stderr(`(more: --cursor ${page.nextCursor})\n`);
}

export async function statsCommand(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, {}, io.env);
  const [type] = requirePositionals(parsed, ['type']);
  const stats = await client(parsed).get<{ type: string; total: number; states: Record<string, number> }>(`/v1/entities/${pathSegment(type!)}/stats`);
  if (parsed.json) return printJson(io, stats);

  const rows = Object.entries(stats.states).sort(([a], [b]) => a.localeCompare(b));
  io.stdout(formatTable(['STATE', 'COUNT'], [...rows, ['(total)', stats.total]]));
}

export async function sendCommand(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, { data: 'string', sender: 'string', 'idempotency-key': 'string' }, io.env);
  const [type, key, eventType] = requirePositionals(parsed, ['type', 'key', 'eventType']);
  const payload = parseData(parsed.values.data);

  const headers: Record<string, string> = {};
  if (typeof parsed.values.sender === 'string') headers['x-ordo-sender'] = parsed.values.sender;
  if (typeof parsed.values['idempotency-key'] === 'string') headers['idempotency-key'] = parsed.values['idempotency-key'];

  const accepted = await client(parsed).post<{ msgId: string; seq: number; duplicate: boolean }>(
    `/v1/entities/${pathSegment(type!)}/${pathSegment(key!)}/events`,
    { ...payload, type: eventType },
    headers,
  );
  if (parsed.json) return printJson(io, accepted);
  io.stdout(`sent ${eventType} to ${type} ${JSON.stringify(key)}: inbox seq ${accepted.seq}, msgId ${accepted.msgId}${accepted.duplicate ? ' (duplicate, already sent)' : ''}\n`);
}

function parseData(data: string | boolean | undefined): Record<string, unknown> {
  if (data === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(data));
  } catch (error) {
    throw new UsageError(`--data is not valid JSON (${(error as Error).message}); pass an object such as '{"value":1}'.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--data must be a JSON object with the event's fields, got ${JSON.stringify(parsed)}.`);
  }
  return parsed as Record<string, unknown>;
}

export function client(parsed: { baseUrl: string; token: string | undefined }): ApiClient {
  return new ApiClient({ baseUrl: parsed.baseUrl, token: parsed.token });
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
