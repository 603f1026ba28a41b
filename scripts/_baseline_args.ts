// deno-lint-ignore-file no-console
/**
 * The command line of the baseline clients `sdk_compare.ts` runs (`sdk_sync.ts`,
 * `ideal_client.ts`): `--url` of the simulator, `--token`, `--concurrency`.
 */
import { parseArgs } from "node:util";
import { TOKEN } from "./_bench_processes.ts";

/** A baseline client's options. */
export interface BaselineArgs {
  /** The simulator's URL, without a trailing slash. */
  url: string;
  token: string;
  /** Requests in flight at once (≥ 1). */
  concurrency: number;
}

/** The options of script `name`; a bad or missing one prints one line and exits 2. */
export function baselineArgs(name: string, args: string[] = Deno.args): BaselineArgs {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: "string" },
      token: { type: "string", default: TOKEN },
      concurrency: { type: "string", default: "4" },
    },
  });
  if (!values.url) {
    console.error(
      `${name}: --url is missing; give the simulator's URL: --url http://127.0.0.1:PORT`,
    );
    Deno.exit(2);
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    console.error(`${name}: --concurrency ${values.concurrency} is not a whole number ≥ 1`);
    Deno.exit(2);
  }
  return { url: values.url.replace(/\/+$/, ""), token: values.token, concurrency };
}
