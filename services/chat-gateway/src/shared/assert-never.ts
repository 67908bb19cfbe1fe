/** Exhaustiveness check: a new union member that a switch forgets fails to compile here. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
