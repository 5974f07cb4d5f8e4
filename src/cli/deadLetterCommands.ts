import type { CliIo } from './cliIo.ts';
import { client, printJson } from './entityCommands.ts';
import { formatFields, formatTable } from './formatTable.ts';
import { UsageError, parseCommandArgs, positiveInteger, requirePositionals, type ParsedCommand } from './parseCommandArgs.ts';

interface Summary {
  seq: number;
  time: string;
  origin: string;
  code: string | null;
  message: string | null;
  entity: { type: string; key: string | null } | null;
  original: { stream: string | null; subject: string | null; seq: number | null; msgId: string | null };
  replayOf: number | null;
  audit: { discardedSeq: number; discardedBy: string; discardedAt: string; reason: string | null } | null;
}

interface Detail extends Summary {
  payloadPreview: string;
  payloadBytes: number;
  originalHeaders: Record<string, string>;
}

const MESSAGE_WIDTH = 60;

export const DLQ_USAGE = [
  'ordo dlq ls [--limit N] [--cursor SEQ] [--audit] [--json] [--url URL]',
  'ordo dlq show <seq> [--json] [--url URL]',
  'ordo dlq replay <seq> [--entity-type T --key K] [--object-id ID] [--token T] [--url URL]',
  'ordo dlq discard <seq> [--reason R] [--sender NAME] [--token T] [--url URL]',
].join('\n       ');

/** Runs `ordo dlq <ls|show|replay|discard>`. */
export async function deadLetterCommand(argv: string[], io: CliIo): Promise<void> {
  const [subcommand, ...rest] = argv;
  switch (subcommand) {
    case 'ls':
      return listLetters(rest, io);
    case 'show':
      return showLetter(rest, io);
    case 'replay':
      return replayLetter(rest, io);
    case 'discard':
      return discardLetter(rest, io);
    default:
      throw new UsageError(`Unknown dlq subcommand ${JSON.stringify(subcommand ?? '')}; use ls, show, replay or discard.`);
  }
}

async function listLetters(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, { limit: 'string', cursor: 'string', audit: 'boolean' }, io.env);
  requirePositionals(parsed, []);
  const query = new URLSearchParams({ limit: String(positiveInteger(parsed.values, 'limit') ?? 50) });
  const cursor = positiveInteger(parsed.values, 'cursor');
  if (cursor !== undefined) query.set('cursor', String(cursor));
  if (parsed.values.audit === true) query.set('include', 'audit');

  const page = await client(parsed).get<{ items: Summary[]; nextCursor?: number }>(`/v1/dead-letters?${query}`);
  if (parsed.json) return printJson(io, page);

  const rows = page.items.map((letter) => [
    letter.seq, letter.time, letter.origin, letter.code, entityText(letter), letter.replayOf, shorten(letter.audit ? `discarded by ${letter.audit.discardedBy}: ${letter.audit.reason ?? ''}` : letter.message),
  ]);
  io.stdout(formatTable(['SEQ', 'TIME', 'ORIGIN', 'CODE', 'ENTITY', 'REPLAY_OF', 'MESSAGE'], rows));
  if (page.nextCursor !== undefined) io.stderr(`(more: --cursor ${page.nextCursor})\n`);
}

async function showLetter(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, {}, io.env);
  const seq = sequence(parsed);
  const letter = await client(parsed).get<Detail>(`/v1/dead-letters/${seq}`);
  if (parsed.json) return printJson(io, letter);

  io.stdout(formatFields([
    ['seq', letter.seq],
    ['time', letter.time],
    ['origin', letter.origin],
    ['code', letter.code],
    ['message', letter.message],
    ['entity', entityText(letter)],
    ['original', `${letter.original.stream ?? '-'} seq ${letter.original.seq ?? '-'} on ${letter.original.subject ?? '-'}`],
    ['msgId', letter.original.msgId],
    ['replay of', letter.replayOf],
    ['bytes', letter.payloadBytes],
  ]));
  io.stdout(`\nheaders\n${formatFields(Object.entries(letter.originalHeaders))}`);
  io.stdout(`\npayload\n${letter.payloadPreview}\n`);
}

async function replayLetter(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, { 'entity-type': 'string', key: 'string', 'object-id': 'string', 'idempotency-key': 'string' }, io.env);
  const seq = sequence(parsed);
  const body: Record<string, string> = {};
  for (const [option, field] of [['entity-type', 'entityType'], ['key', 'key'], ['object-id', 'objectId']] as const) {
    const value = parsed.values[option];
    if (typeof value === 'string') body[field] = value;
  }
  if (('entityType' in body) !== ('key' in body)) throw new UsageError('Pass --entity-type and --key together.');

  const headers: Record<string, string> = {};
  if (typeof parsed.values['idempotency-key'] === 'string') headers['idempotency-key'] = parsed.values['idempotency-key'];
  const result = await client(parsed).post<{ subject: string; seq: number; msgId: string }>(`/v1/dead-letters/${seq}/replay`, body, headers);
  if (parsed.json) return printJson(io, result);
  io.stdout(`replayed dead letter ${seq} to ${result.subject}: stream seq ${result.seq}, msgId ${result.msgId}\n`);
}

async function discardLetter(argv: string[], io: CliIo): Promise<void> {
  const parsed = parseCommandArgs(argv, { reason: 'string', sender: 'string' }, io.env);
  const seq = sequence(parsed);
  const body = typeof parsed.values.reason === 'string' ? { reason: parsed.values.reason } : {};
  const headers: Record<string, string> = typeof parsed.values.sender === 'string' ? { 'x-ordo-sender': parsed.values.sender } : {};

  const result = await client(parsed).post<{ auditSeq: number }>(`/v1/dead-letters/${seq}/discard`, body, headers);
  if (parsed.json) return printJson(io, result);
  io.stdout(`discarded dead letter ${seq}; audit record at seq ${result.auditSeq}\n`);
}

function sequence(parsed: ParsedCommand): number {
  const [text] = requirePositionals(parsed, ['seq']);
  const seq = Number(text);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new UsageError(`Dead-letter sequence ${JSON.stringify(text)} is not a positive integer.`);
  return seq;
}

function entityText(letter: Summary): string | null {
  return letter.entity ? `${letter.entity.type}/${letter.entity.key ?? '?'}` : null;
}

function shorten(text: string | null): string | null {
  if (text === null || text.length <= MESSAGE_WIDTH) return text;
  return `${text.slice(0, MESSAGE_WIDTH - 3)}...`;
}
