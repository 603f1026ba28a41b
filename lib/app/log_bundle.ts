/**
 * `logs archive`: one `.tar.gz` to attach to a bug report. It holds the log lines and the
 * progress events of a window (archived logs included), and a diagnosis: the resolved
 * settings, the `debug health` checks (no API call), the processes of the status directory
 * and the run trends with their anomalies. Every text goes through redaction: no token, key
 * or webhook URL leaves in it.
 */
import { join } from "node:path";
import type { Settings } from "../config/config.ts";
import { configView } from "../health/diagnose.ts";
import { runHealthChecks } from "../health/health.ts";
import { redactText, redactValue } from "../logging/redact.ts";
import { ALL_LINES } from "../logs/filter.ts";
import { OutputExistsError } from "../logs/export.ts";
import { readLogs } from "../logs/reader.ts";
import { readGzip } from "../logs/compressed.ts";
import { PROGRESS_ARCHIVE_PATTERN } from "../logging/log_archive.ts";
import { readStatus } from "../registry/status_reader.ts";
import { trendReport } from "../trends/trends.ts";
import { writeFailure } from "../util/atomic_write.ts";
import { gzipBytes, tarBytes, type TarEntry } from "../util/tar.ts";
import { VERSION } from "../version.ts";

/** Options for {@link writeLogBundle}. */
export interface LogBundleOptions {
  /** Lines and events at or after this time (ms); null: everything. */
  since: number | null;
  /** Replace an existing output file. Default: false. */
  force?: boolean;
  /** Default: `Date.now`. */
  clock?: () => number;
}

/** What went into the bundle. */
export interface LogBundleResult {
  path: string;
  bytes: number;
  logLines: number;
  progressEvents: number;
}

const encoder = new TextEncoder();

async function logLines(logDir: string, since: number | null): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of readLogs(logDir, { ...ALL_LINES, since })) {
    for (const entry of batch) lines.push(redactText(entry.raw));
  }
  return lines;
}

/** An archive's time as a number, for ordering (`20261205T061501123Z` → 20261205061501123). */
function archiveOrder(name: string): number {
  return Number(PROGRESS_ARCHIVE_PATTERN.exec(name)![1]!.replace("T", "").replace("Z", "")) / 1e6;
}

/** Progress events of `progress.jsonl`, its rotations and archives, oldest first. */
async function progressEvents(logDir: string, since: number | null): Promise<string[]> {
  const files: { path: string; order: number }[] = [];
  try {
    for await (const item of Deno.readDir(logDir)) {
      if (!item.isFile) continue;
      const rotated = /^progress\.jsonl(?:\.(\d+))?$/.exec(item.name);
      if (rotated) files.push({ path: join(logDir, item.name), order: Number(rotated[1] ?? 0) });
      // archives are older than every plain file; their names sort by time
      if (PROGRESS_ARCHIVE_PATTERN.test(item.name)) {
        files.push({ path: join(logDir, item.name), order: 1e12 - archiveOrder(item.name) });
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  files.sort((a, b) => b.order - a.order);
  const sinceIso = since === null ? null : new Date(since).toISOString();
  const events: string[] = [];
  for (const file of files) {
    const bytes = file.path.endsWith(".gz")
      ? await readGzip(file.path)
      : await Deno.readFile(file.path);
    for (const line of new TextDecoder().decode(bytes).split("\n")) {
      if (line.trim() === "") continue;
      const time = /"timestamp":"([^"]+)"/.exec(line)?.[1] ?? null;
      if (sinceIso !== null && time !== null && time < sinceIso) continue;
      events.push(redactText(line));
    }
  }
  return events;
}

async function diagnosis(settings: Settings, now: number): Promise<unknown> {
  const health = await runHealthChecks({ paths: settings.paths, settings, error: null }, {
    api: false,
  });
  const status = await readStatus(settings.paths.statusDir, {
    stallAfterSeconds: settings.stallAfterSeconds,
  }).catch((error) => ({ error: error instanceof Error ? error.message : String(error) }));
  let trends: unknown;
  try {
    trends = trendReport(settings.paths.storeFile, Math.floor(now / 1000), { limit: 50 });
  } catch (error) {
    trends = { error: error instanceof Error ? error.message : String(error) };
  }
  return redactValue({
    generated_at: new Date(now).toISOString(),
    version: VERSION,
    platform: { os: Deno.build.os, arch: Deno.build.arch, deno: Deno.version.deno },
    config: configView(settings),
    health,
    status,
    trends,
  });
}

const README = `fast-intercom-mcp log bundle

logs/main.log            log lines of the window (JSON lines; archived logs included)
progress/progress.jsonl  progress events of the window
diagnosis.json           settings (secrets redacted), debug health checks (no API call),
                         processes of the status directory, run trends and anomalies

Secrets (the access token, API keys, the alert webhook URL) are redacted everywhere.
`;

/** Writes the bundle to `output` (atomically, mode 0600; never over a file without `force`). */
export async function writeLogBundle(
  settings: Settings,
  output: string,
  options: LogBundleOptions,
): Promise<LogBundleResult> {
  const now = (options.clock ?? Date.now)();
  if (!options.force) {
    const taken = await Deno.lstat(output).then(() => true, () => false);
    if (taken) {
      throw new OutputExistsError(
        `"${output}" already exists: pass --force to replace it, or choose another --output`,
      );
    }
  }
  const [lines, events, diag] = await Promise.all([
    logLines(settings.paths.logDir, options.since),
    progressEvents(settings.paths.logDir, options.since),
    diagnosis(settings, now),
  ]);
  const mtime = Math.floor(now / 1000);
  const text = (value: string) => encoder.encode(value);
  const entries: TarEntry[] = [
    { name: "README.txt", data: text(README), mtime },
    { name: "logs/main.log", data: text(lines.map((l) => l + "\n").join("")), mtime },
    { name: "progress/progress.jsonl", data: text(events.map((l) => l + "\n").join("")), mtime },
    { name: "diagnosis.json", data: text(JSON.stringify(diag, null, 2) + "\n"), mtime },
  ];
  const bytes = await gzipBytes(tarBytes(entries));
  const temp = `${output}.${Deno.pid}.tmp`;
  try {
    await Deno.writeFile(temp, bytes, { mode: 0o600, createNew: true });
    if (options.force) await Deno.rename(temp, output);
    else {
      await Deno.link(temp, output);
      await Deno.remove(temp);
    }
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new OutputExistsError(
        `"${output}" already exists: pass --force to replace it, or choose another --output`,
        { cause: error },
      );
    }
    throw writeFailure(output, error);
  }
  return {
    path: output,
    bytes: bytes.length,
    logLines: lines.length,
    progressEvents: events.length,
  };
}
