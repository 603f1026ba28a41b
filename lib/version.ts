/** The program's name and version, embedded from deno.json at build time. */
import denoJson from "../deno.json" with { type: "json" };

/** The command name users type. */
export const PROGRAM_NAME = "fast-intercom-mcp";
/** Semantic version of this build. */
export const VERSION: string = denoJson.version;
