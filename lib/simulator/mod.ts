/** The Intercom API simulator: a local, seeded, fault-injecting stand-in for Intercom's REST API. */
export {
  DEFAULT_RATE_LIMIT,
  DEFAULT_SIMULATOR_TOKEN,
  type SimBehaviour,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStats,
  startSimulator,
} from "./server.ts";
export { type GenerateOptions, generateWorkspace } from "./generator.ts";
export { FAULT_KINDS, type FaultKind, type FaultRates } from "./faults.ts";
export { parseFaults, parseLatency, parseRateLimit } from "./knobs.ts";
export type { MutationResult } from "./mutation.ts";
export type {
  AddPartOptions,
  CreateContactOptions,
  MergeOptions,
  StartConversationOptions,
} from "./edits.ts";
export {
  DEFAULT_PARTS_CAP,
  renderContact,
  renderConversation,
  renderConversationSummary,
  type RenderOptions,
} from "./render.ts";
export { htmlToPlaintext } from "./plaintext.ts";
export { renderCompany, renderTicket } from "./render_support.ts";
export type { SupportMutationResult } from "./support_mutation.ts";
export type {
  SimAttachment,
  SimCompany,
  SimLink,
  SimTicket,
  SimTicketPart,
  SimTicketState,
  SimTicketType,
} from "./support_records.ts";
export type { RateLimit } from "./rate_window.ts";
export {
  type BlankAuthorStyle,
  SIM_PART_TYPES,
  type SimAdmin,
  type SimAuthor,
  type SimContact,
  type SimConversation,
  type SimPart,
  type SimPartType,
  type SimQuirks,
  type SimTag,
  type SimTeam,
  type Workspace,
} from "./workspace.ts";
