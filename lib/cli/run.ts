/** Runs the program: parse, dispatch, and turn errors into messages and exit codes. */
import { CommanderError } from "commander";
import { getLogger } from "@logtape/logtape";
import { InputError, InterruptedError } from "../errors.ts";
import { EXIT_CATEGORY, shutdownLogging } from "../logging/logging.ts";
import { getStderrTerminal } from "../logging/terminal.ts";
import { PROGRAM_NAME } from "../version.ts";
import { installInterruptHandlers, interruptSignal, removeInterruptHandlers } from "./interrupt.ts";
import { createProgram } from "./program.ts";
import { errorLine, exitCodeOf, renderError } from "./render_error.ts";
import { restrictFileCreation } from "../util/private_files.ts";

const COMMANDER_SUCCESS = new Set([
  "commander.helpDisplayed",
  "commander.version",
  "commander.executeSubCommandAsync",
]);

/** Parses `args`, runs the command and returns the process exit code. */
export async function runCli(args: string[]): Promise<number> {
  const verbose = args.includes("--verbose") || args.includes("-v");
  restrictFileCreation();
  installInterruptHandlers();
  try {
    await createProgram().parseAsync(args, { from: "user" });
    // A command that finished normally after Ctrl-C (a server, --follow) stopped cleanly.
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (COMMANDER_SUCCESS.has(error.code)) return 0;
      getStderrTerminal().writeLine(renderCommanderError(error));
      return 2;
    }
    if (error instanceof InterruptedError || interruptSignal().aborted) {
      // Ctrl-C or SIGTERM: what the user asked for, not an error
      getLogger(EXIT_CATEGORY).info("interrupted by the user: {summary}", {
        summary: errorLine(error),
        error,
      });
    } else if (!isUserError(error)) {
      // The log line says what the console says (no raw OS or SQLite text: `logs errors` shows
      // it); the raw error stays in the `error` property (`logs show --json`, exports).
      getLogger(EXIT_CATEGORY).error("command failed: {summary}", {
        summary: errorLine(error),
        error,
      });
    }
    getStderrTerminal().writeLine(renderError(error, { verbose }));
    return interruptSignal().aborted ? 130 : exitCodeOf(error);
  } finally {
    getStderrTerminal().close();
    removeInterruptHandlers();
    await shutdownLogging();
  }
}

function isUserError(error: unknown): boolean {
  return error instanceof InputError;
}

function renderCommanderError(error: CommanderError): string {
  if (error.code === "commander.help") {
    return `${PROGRAM_NAME}: a command is required; run '${PROGRAM_NAME} --help' to list them`;
  }
  const text = error.message.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").trim();
  return `${PROGRAM_NAME}: ${text}; run '${PROGRAM_NAME} --help' for usage`;
}
