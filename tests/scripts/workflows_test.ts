/**
 * The GitHub workflows and the composite action parse, have the keys GitHub requires, and do
 * what the distribution and health-check design says; their bash steps pass shellcheck.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { taskFlags } from "../../scripts/task_flags.ts";
import { ROOT } from "../_fixtures/cli.ts";
import { hasTool, nameUnless, OPTIONAL_TOOLS } from "../_fixtures/tools.ts";

// deno-lint-ignore no-explicit-any
type Yaml = any;

const WORKFLOWS = ["ci.yml", "release.yml", "health.yml"].map((f) =>
  join(ROOT, ".github", "workflows", f)
);
const ACTION = join(ROOT, ".github", "actions", "health", "action.yml");
const CI_RUN = join(ROOT, ".ci", "run");
const INSTALL_TOOLS = join(ROOT, ".ci", "install-tools");

async function load(path: string): Promise<Yaml> {
  return parse(await Deno.readTextFile(path), { strict: true, uniqueKeys: true });
}

/** Problems with one step, as GitHub would reject or misrun it. */
function stepProblems(step: Yaml, where: string, composite: boolean): string[] {
  const out: string[] = [];
  if (step === null || typeof step !== "object") return [`${where}: not a mapping`];
  const kinds = ["uses", "run"].filter((k) => k in step);
  if (kinds.length !== 1) out.push(`${where}: needs exactly one of uses/run, has ${kinds}`);
  if ("uses" in step && !/^(\.\/[\w./-]+|[\w.-]+\/[\w./-]+@[\w.-]+)$/.test(step.uses)) {
    out.push(`${where}: uses "${step.uses}" is neither ./path nor owner/repo@ref`);
  }
  if (composite && "run" in step && typeof step.shell !== "string") {
    out.push(`${where}: a composite run step needs shell`);
  }
  return out;
}

/** Every `${{ … }}` opens and closes. */
function expressionProblems(text: string, file: string): string[] {
  const opens = text.split("${{").length - 1;
  const closes = (text.match(/\$\{\{[^}]*\}\}/g) ?? []).length;
  return opens === closes ? [] : [`${file}: ${opens} "\${{" but ${closes} complete expressions`];
}

Deno.test("every workflow has a name, triggers and jobs with runs-on and valid steps", async () => {
  for (const file of WORKFLOWS) {
    const wf = await load(file);
    const problems: string[] = expressionProblems(await Deno.readTextFile(file), file);
    assert.equal(typeof wf.name, "string", `${file}: name`);
    assert.ok(wf.on && typeof wf.on === "object", `${file}: on`);
    assert.ok(wf.jobs && Object.keys(wf.jobs).length > 0, `${file}: jobs`);
    for (const [id, job] of Object.entries(wf.jobs as Record<string, Yaml>)) {
      assert.match(id, /^[A-Za-z_][\w-]*$/, `${file}: job id ${id}`);
      if (!job["runs-on"]) problems.push(`${file}: job ${id} has no runs-on`);
      if (!Array.isArray(job.steps) || job.steps.length === 0) {
        problems.push(`${file}: job ${id} has no steps`);
      }
      for (const need of [job.needs ?? []].flat()) {
        if (!(need in wf.jobs)) problems.push(`${file}: job ${id} needs unknown job ${need}`);
      }
      (job.steps ?? []).forEach((step: Yaml, i: number) =>
        problems.push(...stepProblems(step, `${file}: ${id} step ${i + 1}`, false))
      );
    }
    assert.deepEqual(problems, []);
  }
});

Deno.test("release.yml builds the five targets with the compile task's permissions, with checksums", async () => {
  const wf = await load(WORKFLOWS[1]!);
  assert.deepEqual(wf.on.push.tags, ["v*"]);
  const matrix = wf.jobs.build.strategy.matrix.include as { target: string; file: string }[];
  assert.deepEqual(matrix.map((m) => m.target), [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
  ]);
  for (const m of matrix) {
    assert.equal(
      m.file,
      `fast-intercom-mcp-${m.target}${m.target.includes("windows") ? ".exe" : ""}`,
    );
  }
  const compile = wf.jobs.build.steps.find((s: Yaml) => /deno compile/.test(s.run ?? "")).run;
  const words = compile.trim().split(/\s+/);
  const flags = words.filter((w: string) => w.startsWith("--allow-") || w.startsWith("--v8-flags"));
  assert.deepEqual(
    flags,
    taskFlags("compile"),
    "the same permissions as `deno task compile`",
  );
  assert.ok(words.includes("--target") && words.includes("main.ts"));
  const text = JSON.stringify(wf);
  assert.match(text, /sha256sum/);
  assert.match(text, /SHA256SUMS/);
  const release = wf.jobs.release;
  assert.deepEqual(release.needs, "build");
  assert.equal(release.permissions.contents, "write");
  const publish = release.steps.find((s: Yaml) =>
    String(s.uses).startsWith("softprops/action-gh-release@")
  );
  assert.ok(publish, "attaches the files with softprops/action-gh-release");
  assert.match(publish.with.files, /dist\/SHA256SUMS/);
});

Deno.test("health.yml runs on a schedule and by hand through the composite action", async () => {
  const wf = await load(WORKFLOWS[2]!);
  const cron: string = wf.on.schedule[0].cron;
  assert.equal(cron.split(/\s+/).length, 5, `cron "${cron}" has five fields`);
  assert.ok("workflow_dispatch" in wf.on);
  const step = wf.jobs.health.steps.find((s: Yaml) => s.uses === "./.github/actions/health");
  assert.ok(step, "uses the local composite action");
  assert.equal(step.with["intercom-token"], "${{ secrets.INTERCOM_ACCESS_TOKEN }}");
  assert.ok(wf.jobs.health.steps[0].uses.startsWith("actions/checkout@"), "checks out first");
});

Deno.test("the composite action installs, syncs, gates on debug health --json and uploads artifacts", async () => {
  const action = await load(ACTION);
  assert.deepEqual(expressionProblems(await Deno.readTextFile(ACTION), ACTION), []);
  assert.equal(typeof action.name, "string");
  assert.equal(typeof action.description, "string");
  assert.equal(action.runs.using, "composite");
  for (const [name, input] of Object.entries(action.inputs as Record<string, Yaml>)) {
    assert.equal(typeof input.description, "string", `input ${name} is described`);
  }
  for (const [name, output] of Object.entries(action.outputs as Record<string, Yaml>)) {
    assert.match(output.value, /^\$\{\{ steps\.\w+\.outputs\.\w+ \}\}$/, `output ${name}`);
  }
  const steps: Yaml[] = action.runs.steps;
  const problems = steps.flatMap((s, i) => stepProblems(s, `step ${i + 1}`, true));
  assert.deepEqual(problems, []);
  const runs = steps.map((s) => String(s.run ?? ""));
  assert.ok(runs.some((r) => /gh release download/.test(r) && /sha256sum --check/.test(r)));
  assert.ok(runs.some((r) => /"\$BIN" sync --days/.test(r)));
  const gate = steps.find((s) => /"\$BIN" debug health --json/.test(s.run ?? ""));
  assert.ok(gate, "a step runs debug health --json");
  assert.match(gate.run, /exit "\$code"/, "the gate fails the job when unhealthy");
  const upload = steps.find((s) => String(s.uses).startsWith("actions/upload-artifact@"));
  assert.equal(upload.if, "always()");
  for (const part of ["/data/logs/", "/status/", "health.json"]) {
    assert.ok(upload.with.path.includes(part), `uploads ${part}`);
  }
});

Deno.test("CI installs every optional tool the tests look for: .ci/install-tools, run by ci.yml and by .ci/run", async () => {
  const script = await Deno.readTextFile(INSTALL_TOOLS);
  const pairs = /^TOOLS=\(([^)]*)\)$/m.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
  const installed = Object.fromEntries(pairs.map((pair) => pair.split(":") as [string, string]));
  assert.deepEqual(installed, { ...OPTIONAL_TOOLS }, "TOOLS in .ci/install-tools");
  assert.ok((await Deno.stat(INSTALL_TOOLS)).mode! & 0o100, ".ci/install-tools is executable");

  const ci = await load(WORKFLOWS[0]!);
  const steps: Yaml[] = ci.jobs.test.steps;
  const install = steps.findIndex((s) => /^sudo \.ci\/install-tools$/.test(String(s.run).trim()));
  const test = steps.findIndex((s) => /deno task test/.test(String(s.run)));
  assert.ok(install >= 0, "ci.yml runs sudo .ci/install-tools");
  assert.ok(install < test, "ci.yml installs the tools before the tests run");

  const run = await Deno.readTextFile(CI_RUN);
  const call = run.search(/^\.ci\/install-tools$/m);
  assert.ok(call >= 0, ".ci/run runs .ci/install-tools");
  assert.ok(call < run.indexOf("deno task test"), ".ci/run installs the tools before the tests");
});

const shellcheck = await hasTool("shellcheck");

Deno.test({
  name: nameUnless(
    shellcheck,
    "every bash step of the workflows and the action, and the .ci scripts, pass shellcheck",
    "shellcheck",
    "apt-get install shellcheck",
  ),
  ignore: !shellcheck, // installed by .ci/run and the CI workflow; apt-get install shellcheck
  async fn() {
    const scripts: [string, string][] = [];
    for (const file of [...WORKFLOWS, ACTION]) {
      const doc = await load(file);
      const jobs = file === ACTION ? { action: { steps: doc.runs.steps } } : doc.jobs;
      for (const [id, job] of Object.entries(jobs as Record<string, Yaml>)) {
        for (const step of job.steps ?? []) {
          if (typeof step.run !== "string" || (step.shell ?? "bash") !== "bash") continue;
          // Expressions are substituted by GitHub before bash runs; a plain word stands in.
          scripts.push([
            `${file} ${id} "${step.name ?? step.run.slice(0, 30)}"`,
            step.run.replace(/\$\{\{[^}]*\}\}/g, "GHA_EXPRESSION"),
          ]);
        }
      }
    }
    for (const file of [CI_RUN, INSTALL_TOOLS]) {
      scripts.push([file, await Deno.readTextFile(file)]);
    }
    assert.ok(scripts.length >= 10);
    for (const [where, script] of scripts) {
      const child = new Deno.Command("shellcheck", {
        args: ["--shell=bash", "--severity=style", "-"],
        stdin: "piped",
        stdout: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(script));
      await writer.close();
      const out = await child.output();
      assert.equal(out.code, 0, `${where}:\n${new TextDecoder().decode(out.stdout)}`);
    }
  },
});
