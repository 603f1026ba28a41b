/**
 * Ctrl-C and SIGTERM become an AbortSignal that long operations watch, so they stop at the
 * next safe point and the command exits 130. A second Ctrl-C exits at once.
 */

const controller = new AbortController();
let installed = false;
let count = 0;

const onSignal = () => {
  count++;
  if (count > 1) Deno.exit(130);
  controller.abort(new DOMException("interrupted by signal", "AbortError"));
};

/** Starts turning SIGINT/SIGTERM into {@link interruptSignal} aborts. Idempotent. */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(sig, onSignal);
    } catch {
      // some platforms (Windows: SIGTERM) do not support every signal
    }
  }
}

/** Stops listening, so the process can exit when its work is done. */
export function removeInterruptHandlers(): void {
  if (!installed) return;
  installed = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.removeSignalListener(sig, onSignal);
    } catch {
      // not installed on this platform
    }
  }
}

/** Aborted when the user presses Ctrl-C or the process gets SIGTERM. */
export function interruptSignal(): AbortSignal {
  return controller.signal;
}
