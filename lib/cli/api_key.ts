/**
 * The API key of an HTTP server (`serve`, `monitor serve`), from `--api-key` or
 * `$FASTINTERCOM_API_KEY`, refused when it could not protect the data.
 */
import { UsageError } from "../errors.ts";
import { assertSafeBinding } from "../mcp/http.ts";
import { apiKeyProblem, isLoopbackHost } from "../mcp/http_guard.ts";

/**
 * The API key for a server on `host`: `--api-key`, else `$FASTINTERCOM_API_KEY` (empty counts
 * as unset), else null. A key that cannot protect the data is refused: from the flag as a
 * usage error (exit 2), from the environment as a configuration error (exit 1). The key is
 * never repeated in the message.
 */
export function resolveApiKey(
  flag: string | undefined,
  host: string,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): string | null {
  if (flag !== undefined) {
    const problem = apiKeyProblem(flag, { loopback: isLoopbackHost(host) });
    if (problem !== null) {
      // "--api-key" is never followed by a space, ":" or "=" here: the redactor hides the word after
      throw new UsageError(
        `refusing the key given with --api-key, which ${problem}; pass a random key made with ` +
          "`openssl rand -hex 32`, preferably as FASTINTERCOM_API_KEY",
      );
    }
  }
  const apiKey = flag ?? (env("FASTINTERCOM_API_KEY") || null);
  assertSafeBinding(host, apiKey);
  return apiKey;
}
