import { Type, type Static } from '@sinclair/typebox';
import { ERROR_CODES } from '../errors.ts';

/** The one shape of every error the API returns. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(Object.keys(ERROR_CODES).map((code) => Type.Literal(code))),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorResponse', description: 'Error with a stable code from the error registry.' },
);

export type ErrorResponse = Static<typeof ErrorResponse>;

/** Response schemas for the error statuses a route can return, all in the shared error shape. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ErrorResponse')]));
}
