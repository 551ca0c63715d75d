import fc from "fast-check";
import type { FailMode } from "../failpoints";

/** How many keys a schedule works on, and how many scheduled-rotation tokens each key has. */
export const KEYS = 2;
export const TOKENS = 2;

/** The four steps Secrets Manager sends the rotation function. */
export const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;

/** The failpoints of the operations (lambdas/failpoint.ts calls), where a kill stops one of them. */
export const KILL_POINTS = ["create.afterSecret", "create.afterRecord", "rotate.beforePending", "rotate.afterPending", "rotate.afterLookup", "rotate.afterSwitch", "delete.afterTombstone"] as const;

/** One operation of a schedule, on key `key` (an index into the schedule's keys). */
export type Operation =
  | { kind: "create"; key: number }
  | { kind: "update"; key: number; change: "deactivate" | "activate" | "describe" }
  /** An update with a new rotation.trigger: a manual rotation. */
  | { kind: "rotate"; key: number }
  /** One step of a scheduled rotation, under the key's token `token`: repeated or out of order across a schedule. */
  | { kind: "step"; key: number; token: number; step: (typeof STEPS)[number] }
  /** A whole scheduled rotation under token `token`: the four steps in order, as Secrets Manager runs them. */
  | { kind: "scheduled"; key: number; token: number }
  | { kind: "delete"; key: number }
  /** Verifies every value of the key known so far. */
  | { kind: "verify"; key: number };

/** An operation and how long after the schedule's start it is invoked. */
export interface TimedOperation {
  operation: Operation;
  delayMs: number;
}

/** A kill: the first operation that reaches `point` stops there. */
export interface Kill {
  point: (typeof KILL_POINTS)[number];
  mode: Extract<FailMode, "throw" | "crash">;
}

/** Operations started concurrently on a few keys, with kills armed while they run. */
export interface Schedule {
  /** Per key: created before the schedule starts, or only by a create in it (if any). */
  precreated: boolean[];
  operations: TimedOperation[];
  kills: Kill[];
}

/** One line per operation, as a failing schedule is printed. */
export function describeOperation(operation: Operation): string {
  const key = `k${operation.key}`;
  switch (operation.kind) {
    case "update":
      return `update ${key} ${operation.change}`;
    case "step":
      return `${operation.step} ${key} token t${operation.token}`;
    case "scheduled":
      return `scheduled rotation ${key} token t${operation.token}`;
    default:
      return `${operation.kind} ${key}`;
  }
}

/** A schedule as a reader wants it in a failure report. */
export function formatSchedule(schedule: Schedule): string {
  const keys = schedule.precreated.map((made, key) => `k${key} ${made ? "created before" : "not created before"}`).join(", ");
  const kills = schedule.kills.length ? schedule.kills.map((kill) => `the first to reach ${kill.point} is killed (${kill.mode})`).join("; ") : "none";
  const operations = schedule.operations.map(({ operation, delayMs }, index) => `  #${index} at +${delayMs}ms: ${describeOperation(operation)}`);
  return [`keys: ${keys}`, `kills: ${kills}`, "concurrently:", ...operations].join("\n");
}

const key = fc.nat({ max: KEYS - 1 });

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("create" as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("update" as const), key, change: fc.constantFrom("deactivate" as const, "activate" as const, "describe" as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("rotate" as const), key }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("step" as const), key, token: fc.nat({ max: TOKENS - 1 }), step: fc.constantFrom(...STEPS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("scheduled" as const), key, token: fc.nat({ max: TOKENS - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("verify" as const), key }) },
);

/** Random schedules; fast-check shrinks a failing one towards fewer operations, no delays and no kills. */
export const scheduleArbitrary: fc.Arbitrary<Schedule> = fc
  .record({
    // Mostly keys that exist: a key made only inside the schedule races its create, and is otherwise idle.
    precreated: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), { minLength: KEYS, maxLength: KEYS }),
    operations: fc.array(fc.record({ operation, delayMs: fc.nat({ max: 300 }) }), { minLength: 2, maxLength: 8 }),
    kills: fc.array(fc.record({ point: fc.constantFrom(...KILL_POINTS), mode: fc.constantFrom("throw" as const, "crash" as const) }), { maxLength: 2 }),
  })
  .map((schedule) => Object.assign(schedule, { [fc.toStringMethod]: () => formatSchedule(schedule) }));
