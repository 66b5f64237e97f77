import type { ClaimedJob, DeadLetter, Job } from '../job/job.js';

/**
 * One job type of a {@link JobMap}: what its handler gets, what `enqueue` takes, what the handler returns.
 *
 * @example
 * type Jobs = {
 *   'send-email': { payload: { to: string; subject: string }; result: { messageId: string } };
 *   'resize-image': { payload: { url: string; width: number } }; // result: anything
 * };
 */
export interface JobDefinition {
  /** `job.payload` in the handler, and what `enqueue` takes unless `input` says otherwise. */
  payload: unknown;
  /** What `enqueue` takes when it differs from `payload` (a schema with defaults or transforms). Default `payload`. */
  input?: unknown;
  /** What the handler must return (stored as `job.result`). Default `unknown`: anything. */
  result?: unknown;
}

/**
 * A queue's job map: each job type name to its {@link JobDefinition}. Declare one with
 * `createQueue<Jobs>(...)`, or let `createQueue` infer it from the `schema` of each policy.
 * `JobMap<Jobs>` is the constraint a map satisfies (an interface or a type alias). A map with only
 * named types is closed: another name is a compile error. A string index signature opens it:
 * `{ 'send-email': {...}; [type: string]: { payload: unknown } }` types `send-email` and accepts any
 * other name (a handler for such a name gets an `any` payload when the index says `unknown`).
 * A queue without a map is `Queue<any>`, the same as `Queue`.
 */
export type JobMap<Jobs = any> = { [Type in keyof Jobs]: JobDefinition };

/** True for `any`: a queue without a job map. */
type IsUntyped<Jobs> = 0 extends 1 & Jobs ? true : false;

/** The job type names of a map (`string` without a map). */
export type JobTypeName<Jobs> = Extract<keyof Jobs, string>;

/** What the handler of `Type` gets as `job.payload` (`unknown` without a map). */
export type JobPayload<Jobs, Type> =
  IsUntyped<Jobs> extends true
    ? unknown
    : Type extends keyof Jobs
      ? Jobs[Type] extends { payload: infer Payload }
        ? Payload
        : unknown
      : never;

/** What `enqueue(Type, payload)` takes: the definition's `input`, else its `payload`. */
export type JobInput<Jobs, Type> =
  IsUntyped<Jobs> extends true
    ? unknown
    : Type extends keyof Jobs
      ? Jobs[Type] extends { input: infer Input }
        ? Input
        : JobPayload<Jobs, Type>
      : never;

/** What the handler of `Type` returns, stored as `job.result` (`unknown` when the map does not say). */
export type JobResult<Jobs, Type> =
  IsUntyped<Jobs> extends true
    ? unknown
    : Type extends keyof Jobs
      ? Jobs[Type] extends { result?: infer Result }
        ? Result
        : unknown
      : never;

/**
 * A stored job of one type of the map, or of any of its types: a union discriminated by `type`
 * (`if (job.type === 'send-email') job.payload.to`). Without a map, `Job`.
 */
export type JobOf<Jobs, Type extends JobTypeName<Jobs> = JobTypeName<Jobs>> =
  IsUntyped<Jobs> extends true
    ? Job
    : string extends Type
      ? { [T in keyof Jobs]: Job<JobPayload<Jobs, T>, JobResult<Jobs, T>, T & string> }[keyof Jobs]
      : { [T in Type]: Job<JobPayload<Jobs, T>, JobResult<Jobs, T>, T> }[Type];

/** A claimed (running) job of the map, as runner events carry it. Without a map, `ClaimedJob`. */
export type ClaimedJobOf<Jobs, Type extends JobTypeName<Jobs> = JobTypeName<Jobs>> =
  IsUntyped<Jobs> extends true
    ? ClaimedJob
    : string extends Type
      ? { [T in keyof Jobs]: ClaimedJob<JobPayload<Jobs, T>, JobResult<Jobs, T>, T & string> }[keyof Jobs]
      : { [T in Type]: ClaimedJob<JobPayload<Jobs, T>, JobResult<Jobs, T>, T> }[Type];

/** A dead letter of the map, discriminated by `type`. Without a map, `DeadLetter`. */
export type DeadLetterOf<Jobs, Type extends JobTypeName<Jobs> = JobTypeName<Jobs>> =
  IsUntyped<Jobs> extends true
    ? DeadLetter
    : string extends Type
      ? { [T in keyof Jobs]: DeadLetter<JobPayload<Jobs, T>, T & string> }[keyof Jobs]
      : { [T in Type]: DeadLetter<JobPayload<Jobs, T>, T> }[Type];

/**
 * The payload a handler for `Type` gets: the map's, except `any` for a name only an index signature
 * covers with an `unknown` payload (as in a queue without a map).
 */
export type HandlerPayload<Jobs, Type> = string extends Type
  ? unknown extends JobPayload<Jobs, Type>
    ? any
    : JobPayload<Jobs, Type>
  : JobPayload<Jobs, Type>;

/**
 * The type a schema produces: its Standard Schema output type (zod 3.24+, zod 4 and `zod/mini`,
 * Valibot, ArkType), else the `data` of its `safeParse`.
 */
export type InferSchemaOutput<Schema> = Schema extends { '~standard': { types?: infer Types } }
  ? NonNullable<Types> extends { output: infer Output }
    ? Output
    : SafeParseOutput<Schema>
  : SafeParseOutput<Schema>;

/** The type a schema accepts (Standard Schema input type), else its output type. */
export type InferSchemaInput<Schema> = Schema extends { '~standard': { types?: infer Types } }
  ? NonNullable<Types> extends { input: infer Input }
    ? Input
    : InferSchemaOutput<Schema>
  : InferSchemaOutput<Schema>;

type SafeParseOutput<Schema> = Schema extends { safeParse(value: unknown): infer Parsed }
  ? Parsed extends { success: true; data: infer Output }
    ? Output
    : unknown
  : unknown;

/** True when `Schema` is a schema a policy surely has (not `unknown`, not possibly `undefined`). */
type IsSchema<Schema> = unknown extends Schema ? false : undefined extends Schema ? false : true;

/** The names of `Schemas` that hold a schema. */
type KeysWithSchema<Schemas> = {
  [Type in keyof Schemas]: IsSchema<Schemas[Type]> extends true ? Type : never;
}[keyof Schemas];

/**
 * The job map `createQueue` infers from its `policies` (`Schemas`: each policy's schema type,
 * `unknown` for none). A type whose policy has a `schema` is typed by it: the handler gets the
 * schema's output, `enqueue` takes its input. Every other name still compiles, as it runs (under
 * `defaultPolicy`): the map is open, `[type: string]: { payload: unknown }`. With no schema
 * anywhere, or policies typed as a `Record`, no map (`any`). Declare a map to close the set.
 */
export type InferJobMap<Schemas> = string extends keyof Schemas
  ? any
  : [KeysWithSchema<Schemas>] extends [never]
    ? any
    : Flatten<
        {
          [Type in Extract<KeysWithSchema<Schemas>, string>]: {
            payload: InferSchemaOutput<Schemas[Type]>;
            input: InferSchemaInput<Schemas[Type]>;
          };
        } & { [type: string]: { payload: unknown } }
      >;

type Flatten<T> = { [K in keyof T]: T[K] };
