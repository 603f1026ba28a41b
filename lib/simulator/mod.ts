/** The Intercom API simulator: a local, seeded, fault-injecting stand-in for Intercom's REST API. */
export {
  DEFAULT_SIMULATOR_TOKEN,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStats,
  startSimulator,
} from "./server.ts";
export { type GenerateOptions, generateWorkspace } from "./generator.ts";
export { FAULT_KINDS, type FaultKind, type FaultRates } from "./faults.ts";
export { parseFaults, parseLatency, parseRateLimit } from "./knobs.ts";
export type { MutationResult } from "./mutation.ts";
export {
  DEFAULT_PARTS_CAP,
  renderContact,
  renderConversation,
  renderConversationSummary,
  type RenderOptions,
} from "./render.ts";
export { htmlToPlaintext } from "./plaintext.ts";
export type { RateLimit } from "./rate_window.ts";
export type {
  SimAdmin,
  SimAuthor,
  SimContact,
  SimConversation,
  SimPart,
  SimTag,
  SimTeam,
  Workspace,
} from "./workspace.ts";
