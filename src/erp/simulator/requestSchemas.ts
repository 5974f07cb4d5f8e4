import { Type } from '@sinclair/typebox';

// Request bodies are open objects, so a newer client's extra fields do not turn into
// fatal 400s, and the ledger stores only the fields it uses. Money is closed, so a
// stray field next to `amountMinor` (say, a major-unit amount) fails instead of being ignored.
const NonEmptyString = Type.String({ minLength: 1 });

export const MoneySchema = Type.Object(
  {
    amountMinor: Type.Integer({ minimum: 0 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { additionalProperties: false },
);

export const CustomerUpsertSchema = Type.Object({
  accountId: NonEmptyString,
  name: NonEmptyString,
  country: Type.Optional(Type.String()),
  taxRegion: Type.Optional(Type.String()),
  sector: Type.Optional(Type.String()),
  annualRevenue: Type.Optional(MoneySchema),
  parentAccountId: Type.Optional(Type.String()),
});

export const SalesOrderCreateSchema = Type.Object({
  orderKey: NonEmptyString,
  customerNumber: NonEmptyString,
  productCode: NonEmptyString,
  quantity: Type.Number({ exclusiveMinimum: 0 }),
  amount: MoneySchema,
});

export const InvoiceCreateSchema = Type.Object({
  orderKey: NonEmptyString,
  orderNumber: NonEmptyString,
  customerNumber: NonEmptyString,
  productCode: NonEmptyString,
  quantity: Type.Number({ exclusiveMinimum: 0 }),
  amount: MoneySchema,
});

export const ReasonBodySchema = Type.Object({ reason: Type.Optional(Type.String()) });

export const CreditLimitSchema = Type.Object({ amountMinor: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });

const Rate = Type.Number({ minimum: 0, maximum: 1 });

export const FaultProfileSchema = Type.Object(
  {
    seed: Type.Integer(),
    latencyMs: Type.Optional(Type.Tuple([Type.Number({ minimum: 0 }), Type.Number({ minimum: 0 })])),
    rate503: Type.Optional(Rate),
    rate429: Type.Optional(Rate),
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    hangRate: Type.Optional(Rate),
    hangMs: Type.Optional(Type.Integer({ minimum: 0 })),
    failFirstN: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
