/**
 * Exit codes of `scripts/enhanced_integration_test.sh` and its helpers: which kind of check
 * failed. The script and every helper use these, so a failure keeps its meaning end to end.
 */
export const EXIT = {
  ok: 0,
  /** The Intercom API (or the simulator) rejected the token, failed or was unreachable. */
  api: 1,
  /** The sync failed, or the store does not match the source. */
  sync: 2,
  /** The MCP server did not answer, or answered wrongly. */
  mcp: 3,
  /** A figure of the performance report missed its target. */
  performance: 4,
  /** Bad flags, a missing tool or variable, an unusable workspace. */
  environment: 5,
} as const;

/** One of the {@link EXIT} codes. */
export type ExitCode = typeof EXIT[keyof typeof EXIT];
