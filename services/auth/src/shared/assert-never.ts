/** Ends an exhaustive switch: a new union member that a switch forgets fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
