// The real engine for end-to-end tests. Outside CI a machine without an engine skips these
// tests; in CI (CI=true) they run and fail, so a missing engine can never pass silently.
import { execFileSync } from "node:child_process";
import { describe } from "vitest";

export const IN_CI = process.env.CI === "true" || process.env.CI === "1";

function engineAnswers(): boolean {
  try {
    execFileSync("docker", ["info"], { stdio: "ignore", timeout: 20_000 });
    execFileSync("docker", ["buildx", "version"], { stdio: "ignore", timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export const ENGINE = engineAnswers();

/** `describe` for tests that need the engine. */
export const describeEngine = describe.skipIf(!ENGINE && !IN_CI);

export function requireEngine(): void {
  if (!ENGINE) throw new Error("no Docker engine answers (docker info failed): run scripts/setup-engine.sh as root first");
}

/** Environment for bake without any vector chosen by the caller's shell. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(distros?|arch(es)?|variants?|DALEC_BAKE_.*)$/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}
