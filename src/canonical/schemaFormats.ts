import { FormatRegistry } from '@sinclair/typebox';

// TypeBox rejects any string `format` it has no checker for, while Fastify's Ajv checks
// `date-time` and `date` already. Registering the same two here keeps both validators
// in agreement on the schemas of this folder.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Registers the `date-time` and `date` string formats with TypeBox, once per process. */
export function registerSchemaFormats(): void {
  if (!FormatRegistry.Has('date-time')) {
    FormatRegistry.Set('date-time', (value) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
  }
  if (!FormatRegistry.Has('date')) {
    FormatRegistry.Set('date', isCalendarDate);
  }
}

function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;

  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}
