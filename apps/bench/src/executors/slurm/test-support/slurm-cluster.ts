/**
 * A real one-node Slurm cluster for tests: munged, slurmctld and slurmd started as child processes
 * on 127.0.0.1, with every key, socket, state folder, pid and log file in one temporary folder and
 * ports chosen free, so it runs beside (and never touches) a system Slurm or MUNGE.
 *
 * Needs Debian's `slurm-wlm` and `munge` and root (slurmd runs jobs as the submitting user, and
 * SlurmUser=root keeps the state folder ownership simple). Accounting is off: this cluster has no
 * slurmdbd, so `sacct` answers "Slurm accounting storage is disabled"; job states come from
 * `squeue --states=all` (which keeps finished jobs for MinJobAge, 300 s by default).
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile, stat } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { hostname, tmpdir, totalmem, availableParallelism } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** The binaries the cluster needs: daemons first, then the clients the tests and the executor call. */
export const SLURM_CLUSTER_BINARIES = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scontrol", "scancel"] as const;

/** A running test cluster. */
export interface SlurmCluster {
  /** The temporary folder holding slurm.conf, munge key and socket, state, spool and logs. */
  readonly dir: string;
  /** Environment for child processes that talk to this cluster (process.env plus SLURM_CONF). */
  readonly env: NodeJS.ProcessEnv;
  /** The node's name (this machine's short host name) and its CPU count. */
  readonly node: string;
  readonly cpus: number;
  /** The last lines of the daemons' logs, for assertion messages. */
  logs(): Promise<string>;
  /** `<jobId>_<task>` (or `<jobId>`) → state, from `squeue --array --states=all` for these jobs. */
  jobStates(jobIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Waits until every task of these jobs has ended (no PENDING, RUNNING, ... left) and returns their
   * final states; throws after `timeoutMs` with the states and the logs.
   */
  waitForJobs(jobIds: readonly string[], timeoutMs?: number): Promise<Map<string, string>>;
  /** Cancels every job, stops slurmd, slurmctld and munged, and removes the folder. */
  stop(): Promise<void>;
}

/** Options of {@link startSlurmCluster}. */
export interface SlurmClusterOptions {
  /**
   * Seconds a requeued job waits before it may start again (Slurm's AuthInfo `cred_expire`,
   * 120 s by default on a real cluster); small here so requeue tests run quickly.
   */
  readonly credExpireSeconds?: number;
  /** Seconds to wait for the node to become idle (default 60). */
  readonly startTimeoutSeconds?: number;
}

/** Where Debian puts the daemons (often not on a user's PATH). */
const SBIN_DIRS = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

/** Where `name` is found on `path` or in `sbin` (/usr/sbin, /sbin, /usr/local/sbin), or null. */
export function findExecutable(name: string, path = process.env.PATH ?? "", sbin: readonly string[] = SBIN_DIRS): string | null {
  for (const dir of [...path.split(delimiter), ...sbin]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Whether a test cluster can start here: every binary present and running as root. `reason` is one
 * line naming what is missing (empty when available).
 */
export function slurmClusterAvailability(path = process.env.PATH ?? "", sbin: readonly string[] = SBIN_DIRS): { available: boolean; reason: string } {
  const missing = SLURM_CLUSTER_BINARIES.filter((b) => findExecutable(b, path, sbin) === null);
  if (missing.length > 0) {
    return {
      available: false,
      reason: `Slurm test cluster unavailable: ${missing.join(", ")} not found (install Debian's slurm-wlm and munge)`,
    };
  }
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return { available: false, reason: `Slurm test cluster unavailable: needs root to run slurmd (uid is ${process.getuid()})` };
  }
  return { available: true, reason: "" };
}

/**
 * For `describe.skipIf`: true when the cluster cannot start here, after printing the one-line
 * reason. Under CI (process.env.CI set, or DALE_EXPECT_SLURM=1 as .ci/run exports) absence is a
 * failure: it throws instead of skipping.
 */
export function skipWithoutSlurm(
  { available, reason } = slurmClusterAvailability(),
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = console.warn,
): boolean {
  if (available) return false;
  const required = env.CI ? "CI is set" : env.DALE_EXPECT_SLURM === "1" ? "DALE_EXPECT_SLURM=1" : "";
  if (required) throw new Error(`${reason}; ${required}, so the Slurm tests must run (.ci/run installs slurm-wlm and munge)`);
  warn(`skipping Slurm tests: ${reason}`);
  return true;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Job states that have not ended (a requeued task is PENDING again). */
const ACTIVE_STATES = new Set(["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT"]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The hardware line of `slurmd -C` (NodeName=... CPUs=... RealMemory=...), parsed. */
async function hardware(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const fields: Record<string, string> = {};
  try {
    const { stdout } = await execFileAsync(findExecutable("slurmd") ?? "slurmd", ["-C"], { env });
    const line = stdout.split("\n").find((l) => l.startsWith("NodeName=")) ?? "";
    for (const token of line.trim().split(/\s+/)) {
      const eq = token.indexOf("=");
      if (eq > 0) fields[token.slice(0, eq)] = token.slice(eq + 1);
    }
  } catch {
    // fall back to node:os below
  }
  return fields;
}

function spawnDaemon(bin: string, args: string[], env: NodeJS.ProcessEnv, out: string[]): ChildProcess {
  const child = spawn(findExecutable(bin) ?? bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk: Buffer) => {
    out.push(...chunk.toString().split("\n").filter(Boolean).map((l) => `${bin}: ${l}`));
    if (out.length > 400) out.splice(0, out.length - 400);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (e) => out.push(`${bin}: ${e.message}`));
  return child;
}

async function stopChild(child: ChildProcess, ms = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const done = await Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
  if (!done) {
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * Starts munged, slurmctld -D and slurmd -D in a new temporary folder and waits until `sinfo`
 * shows the node idle.
 *
 * @param options - requeue delay and start timeout.
 * @returns the running cluster: `env` for child processes (SLURM_CONF), `stop()`.
 * @throws Error when a binary is missing or the node is not idle within the timeout (with the
 * daemons' last log lines).
 * @example
 * const cluster = await startSlurmCluster();
 * await execFile("sbatch", ["--parsable", "--wrap", "true"], { env: cluster.env });
 * await cluster.stop();
 */
export async function startSlurmCluster(options: SlurmClusterOptions = {}): Promise<SlurmCluster> {
  const { available, reason } = slurmClusterAvailability();
  if (!available) throw new Error(reason);
  const dir = await mkdtemp(join(tmpdir(), "dale-slurm-"));
  // munged refuses a socket whose folders are not executable by all.
  await chmod(dir, 0o755);
  const mungeDir = join(dir, "munge");
  for (const sub of ["munge", "state", "spool", "log"]) await mkdir(join(dir, sub), { mode: 0o755 });
  await chmod(mungeDir, 0o755);
  const key = join(mungeDir, "munge.key");
  await writeFile(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(mungeDir, "munge.socket");
  const conf = join(dir, "slurm.conf");
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf };
  const output: string[] = [];
  const children: ChildProcess[] = [];
  let stopped = false;
  // If the test process dies without stop(), take the daemons with it (kill is synchronous).
  const onExit = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", onExit);

  const logs = async (): Promise<string> => {
    const parts = [output.slice(-40).join("\n")];
    for (const f of ["slurmctld.log", "slurmd.log"]) {
      try {
        parts.push(`--- ${f}\n${(await readFile(join(dir, "log", f), "utf8")).split("\n").slice(-30).join("\n")}`);
      } catch {
        // not written yet
      }
    }
    return parts.join("\n");
  };

  const jobStates = async (jobIds: readonly string[]): Promise<Map<string, string>> => {
    const { stdout } = await execFileAsync(
      findExecutable("squeue") ?? "squeue",
      ["--noheader", "--array", "--states=all", `--jobs=${jobIds.join(",")}`, "--Format=JobArrayID:|,State:|"],
      { env, timeout: 10_000 },
    );
    const states = new Map<string, string>();
    for (const line of stdout.split("\n")) {
      const [id, state] = line.trim().split("|");
      if (id && state) states.set(id, state);
    }
    return states;
  };

  const waitForJobs = async (jobIds: readonly string[], timeoutMs = 120_000): Promise<Map<string, string>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await jobStates(jobIds);
      const active = [...states.values()].some((s) => ACTIVE_STATES.has(s));
      if (states.size > 0 && !active) return states;
      if (Date.now() > deadline) {
        throw new Error(`jobs ${jobIds.join(",")} still active after ${timeoutMs} ms: ${JSON.stringify([...states])}\n${await logs()}`);
      }
      await sleep(300);
    }
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      // Jobs' slurmstepd processes outlive slurmd, so cancel them first and give them a moment.
      await execFileAsync(findExecutable("scancel") ?? "scancel", ["--full", "--user", String(process.getuid?.() ?? 0)], { env, timeout: 10_000 });
      for (let i = 0; i < 20; i++) {
        const { stdout } = await execFileAsync(findExecutable("squeue") ?? "squeue", ["--noheader", "--format=%i"], { env, timeout: 10_000 });
        if (stdout.trim() === "") break;
        await sleep(250);
      }
    } catch {
      // the controller may already be down
    }
    for (const child of [...children].reverse()) await stopChild(child);
    process.removeListener("exit", onExit);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    children.push(
      spawnDaemon(
        "munged",
        [
          "--foreground",
          `--key-file=${key}`,
          `--socket=${socket}`,
          `--pid-file=${join(mungeDir, "munged.pid")}`,
          `--log-file=${join(dir, "log", "munged.log")}`,
          `--seed-file=${join(mungeDir, "munged.seed")}`,
        ],
        env,
        output,
      ),
    );
    for (let i = 0; !(await exists(socket)); i++) {
      if (i > 100 || children[0]!.exitCode !== null) throw new Error(`munged did not create ${socket}`);
      await sleep(100);
    }

    const hw = await hardware(env);
    const node = hostname().split(".")[0] ?? "localhost";
    const cpus = Number(hw.CPUs) || availableParallelism();
    const hwMemory = Number(hw.RealMemory) || Math.floor(totalmem() / 2 ** 20);
    const realMemory = Math.max(256, Math.min(hwMemory - 256, 8192));
    const topology =
      hw.SocketsPerBoard && hw.CoresPerSocket && hw.ThreadsPerCore
        ? ` Boards=${hw.Boards ?? 1} SocketsPerBoard=${hw.SocketsPerBoard} CoresPerSocket=${hw.CoresPerSocket} ThreadsPerCore=${hw.ThreadsPerCore}`
        : "";
    const [ctldPort, slurmdPort] = await freePorts(2);
    const plugstack = join(dir, "plugstack.conf");
    await writeFile(plugstack, "");
    const lines = [
      "# Written by dale-bench's test harness (startSlurmCluster); removed when the cluster stops.",
      "ClusterName=dale-test",
      `SlurmctldHost=${node}(127.0.0.1)`,
      "SlurmUser=root",
      "SlurmdUser=root",
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      "AuthType=auth/munge",
      "CredType=cred/munge",
      `AuthInfo=socket=${socket},cred_expire=${options.credExpireSeconds ?? 10}`,
      `StateSaveLocation=${join(dir, "state")}`,
      `SlurmdSpoolDir=${join(dir, "spool")}`,
      `SlurmctldPidFile=${join(dir, "slurmctld.pid")}`,
      `SlurmdPidFile=${join(dir, "slurmd.pid")}`,
      `SlurmctldLogFile=${join(dir, "log", "slurmctld.log")}`,
      `SlurmdLogFile=${join(dir, "log", "slurmd.log")}`,
      `PlugStackConfig=${plugstack}`,
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_Core_Memory",
      "DefMemPerCPU=256",
      "ReturnToService=2",
      "JobRequeue=1",
      "MpiDefault=none",
      "SwitchType=switch/none",
      "AccountingStorageType=accounting_storage/none",
      "JobAcctGatherType=jobacct_gather/none",
      "JobCompType=jobcomp/none",
      "MailProg=/bin/true",
      "SlurmdParameters=config_overrides",
      "SchedulerParameters=sched_interval=2",
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${cpus}${topology} RealMemory=${realMemory} State=UNKNOWN`,
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      "",
    ];
    await writeFile(conf, lines.join("\n"));

    children.push(spawnDaemon("slurmctld", ["-D", "-f", conf], env, output));
    children.push(spawnDaemon("slurmd", ["-D", "-f", conf], env, output));

    const deadline = Date.now() + (options.startTimeoutSeconds ?? 60) * 1000;
    for (;;) {
      for (const child of children) {
        if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited with status ${child.exitCode}`);
      }
      try {
        const { stdout } = await execFileAsync(findExecutable("sinfo") ?? "sinfo", ["--noheader", "--Node", "--format=%t"], { env, timeout: 10_000 });
        if (stdout.trim() === "idle") break;
      } catch {
        // slurmctld not listening yet
      }
      if (Date.now() > deadline) throw new Error("the Slurm test node did not become idle in time");
      await sleep(250);
    }
    return { dir, env, node, cpus, logs, jobStates, waitForJobs, stop };
  } catch (error) {
    const detail = await logs();
    await stop();
    throw new Error(`startSlurmCluster: ${(error as Error).message}\n${detail}`);
  }
}
